package attivita_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// onFake starts the demo fake behind httptest and a client on it.
func onFake(t *testing.T, opts ...orderkit.Option) (*attivita.Client, *attivitatest.Server) {
	t.Helper()
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := attivita.NewClient(attivitatest.DefaultToken, append([]orderkit.Option{orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)), orderkit.WithRetry(1, 0, 0)}, opts...)...)
	require.NoError(t, err)
	return c, fake
}

func TestFakeProducts(t *testing.T) {
	c, fake := onFake(t)
	products, err := c.Products.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, products, 4)
	byID := map[attivita.ID]attivita.Product{}
	for _, p := range products {
		byID[p.ID] = p
	}
	office := byID[attivitatest.DemoOfficeID]
	assert.Equal(t, attivita.Stock(100), office.AvailableStock, "150 keys are shown as 100")
	assert.True(t, office.AvailableStock.Capped())
	assert.Equal(t, 150, fake.Stock(attivitatest.DemoOfficeID))
	assert.Equal(t, "149.99", office.Price.String())
	require.NotNil(t, office.OldPrice)
	assert.Equal(t, attivita.RegionDACH, office.ValidRegion)
	assert.False(t, office.IsBundle)

	bundle := byID[attivitatest.DemoBundleID]
	assert.True(t, bundle.IsBundle)
	assert.Len(t, bundle.LicensePools, 2)
	assert.Equal(t, attivita.Stock(3), bundle.AvailableStock, "bundle stock is the minimum over its pools")
	assert.Equal(t, attivita.Stock(0), byID[attivitatest.DemoSoldOutID].AvailableStock)
	assert.Equal(t, attivita.RegionNone, byID[attivitatest.DemoSoldOutID].ValidRegion)

	eu, err := c.Products.List(ctx, &attivita.ListProductsOptions{Region: attivita.RegionEU})
	require.NoError(t, err)
	require.Len(t, eu, 1)
	assert.Equal(t, attivita.ID(attivitatest.DemoAntivirusID), eu[0].ID)

	p, err := c.Products.Get(ctx, attivitatest.DemoBundleID)
	require.NoError(t, err)
	assert.Equal(t, "Office + Antivirus Bundle", p.DisplayName)

	_, err = c.Products.Get(ctx, "nope")
	require.ErrorIs(t, err, orderkit.ErrNotFound)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Product not found", e.Message)
	assert.Equal(t, 1, fake.Count("GET", "/api/products/nope"))
}

func TestFakeOrderAllocatesDistinctKeys(t *testing.T) {
	c, fake := onFake(t)
	o1, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 2}}})
	require.NoError(t, err)
	o2, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
	require.NoError(t, err)
	assert.Equal(t, attivita.OrderNumber(1001), o1.OrderNumber)
	assert.Equal(t, attivita.OrderNumber(1002), o2.OrderNumber)
	assert.Equal(t, attivita.OrderCompleted, o1.Status)
	assert.Equal(t, "7", o1.Customer)
	assert.Equal(t, attivita.ID(attivitatest.DemoOfficeID), o1.Items[0].ProductID)
	assert.Equal(t, "Microsoft Office 2021 Home & Business", o1.Items[0].ProductName)
	assert.Len(t, o1.Items[0].Keys(), 2)
	assert.Nil(t, o1.Items[0].BundleLicenses)
	assert.Equal(t, "299.98", o1.GrandTotal.String())
	keys := append(o1.Keys(), o2.Keys()...)
	assert.Len(t, keys, 3)
	assertDistinct(t, keys)
	assert.Equal(t, 147, fake.Stock(attivitatest.DemoOfficeID))
	assert.True(t, fake.Spent().Equal(money.MustParse("449.97")))

	// Get and List answer the list shape: product as an object.
	got, err := c.Orders.Get(ctx, o1.OrderNumber)
	require.NoError(t, err)
	assert.Equal(t, o1.Keys(), got.Keys())
	assert.Equal(t, attivita.ID(attivitatest.DemoOfficeID), got.Items[0].ProductID)
	require.NotNil(t, got.Items[0].Subtotal)
	assert.Equal(t, "299.98", got.Items[0].Subtotal.String())
	assert.Equal(t, o1.OrderDate, got.OrderDate)
	list, err := c.Orders.List(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	_, err = c.Orders.Get(ctx, 4242)
	require.ErrorIs(t, err, orderkit.ErrNotFound)
}

func assertDistinct(t *testing.T, keys []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range keys {
		assert.False(t, seen[k], "key %s handed out twice", k)
		seen[k] = true
	}
}

func TestFakeBundle(t *testing.T) {
	c, fake := onFake(t)
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoBundleID, Amount: 2}}})
	require.NoError(t, err)
	it := o.Items[0]
	require.True(t, it.IsBundle())
	groups := it.KeysByPool()
	require.Len(t, groups, 2)
	assert.Equal(t, attivita.ID("pool-office-2021"), groups[0].PoolID)
	assert.Equal(t, "Office 2021 Pool", groups[0].PoolName)
	assert.Equal(t, "Microsoft Office 2021", groups[0].ProductName)
	assert.Len(t, groups[0].Keys, 2)
	assert.Equal(t, attivita.ID("pool-antivirus"), groups[1].PoolID)
	assert.Len(t, groups[1].Keys, 2)
	assert.Len(t, it.Keys(), 4, "the flat list holds every key")
	assertDistinct(t, it.Keys())
	assert.Equal(t, 1, fake.Stock(attivitatest.DemoBundleID))
	assert.Equal(t, 1, fake.KeysLeft("pool-antivirus"))
	assert.Equal(t, 148, fake.KeysLeft("pool-office-2021"))

	// Two more bundles: the antivirus pool has one key. All or nothing.
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoBundleID, Amount: 2}}})
	var short *attivita.InsufficientStockError
	require.ErrorAs(t, err, &short)
	require.Len(t, short.Items, 1)
	assert.Equal(t, attivita.UnavailableItem{ProductID: attivitatest.DemoBundleID, ProductName: "Office + Antivirus Bundle", RequestedQuantity: 2, AvailableQuantity: 1}, short.Items[0])
	assert.Equal(t, 148, fake.KeysLeft("pool-office-2021"), "no key taken from the other pool")
	assert.Equal(t, 1, fake.KeysLeft("pool-antivirus"))
	assert.Equal(t, 1, fake.OrderCount())

	// A bundle and its component together compete for one pool.
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoBundleID, Amount: 1}, {ProductID: attivitatest.DemoAntivirusID, Amount: 1}, {ProductID: attivitatest.DemoSoldOutID, Amount: 1}}})
	require.ErrorAs(t, err, &short)
	assert.Len(t, short.Items, 3, "every short product is listed")
	assert.Equal(t, 1, fake.KeysLeft("pool-antivirus"))
}

func TestFakeCreditLimitAndVAT(t *testing.T) {
	c, fake := onFake(t)
	fake.SetGermanVAT(true)
	fake.SetCreditLimit(money.MustParse("200"))
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
	require.NoError(t, err)
	assert.Equal(t, "149.99", o.SubTotal.String())
	assert.Equal(t, "178.49", o.GrandTotal.String(), "19 % VAT added")

	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoAntivirusID, Amount: 1}}})
	require.ErrorIs(t, err, attivita.ErrCreditLimitExceeded)
	assert.Equal(t, 3, fake.KeysLeft("pool-antivirus"))
	assert.Equal(t, "178.49", fake.Spent().String())
}

func TestFakeSandboxSpendsNothing(t *testing.T) {
	c, fake := onFake(t, attivita.WithSandbox())
	fake.SetCreditLimit(money.MustParse("1"))
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoBundleID, Amount: 1}, {ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
	require.NoError(t, err)
	assert.True(t, o.Sandbox)
	assert.Equal(t, attivita.OrderSandboxCompleted, o.Status)
	assert.Equal(t, orderstate.StatusCompleted, o.Status.Status())
	assert.Equal(t, attivitatest.SandboxNotice, o.SandboxNotice)
	assert.Equal(t, "SAND-BOX1-TEST-KEY1", o.Keys()[0])
	assert.Len(t, o.Items[0].KeysByPool(), 2)
	assert.Equal(t, 150, fake.KeysLeft("pool-office-2021"))
	assert.Equal(t, 3, fake.KeysLeft("pool-antivirus"))
	assert.True(t, fake.Spent().IsZero())
	assert.Equal(t, 0, fake.OrderCount())
	for _, r := range fake.Requests() {
		assert.True(t, r.Sandbox)
	}

	// Sandbox still checks stock.
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoSoldOutID, Amount: 1}}})
	require.ErrorIs(t, err, attivita.ErrInsufficientStock)

	// One real call from a sandbox client.
	fake.SetCreditLimit(money.MustParse("1000"))
	real, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}}, attivita.Sandbox(false))
	require.NoError(t, err)
	assert.False(t, real.Sandbox)
	assert.Equal(t, 149, fake.KeysLeft("pool-office-2021"))
}

func TestFakeErrors(t *testing.T) {
	c, fake := onFake(t)
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "unknown", Amount: 1}}})
	var pe *attivita.ProductNotAvailableError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, attivita.ID("unknown"), pe.ProductID)

	bad, err := attivita.NewClient("wrong", orderkit.WithBaseURL(c.BaseURL()))
	require.NoError(t, err)
	_, err = bad.Products.List(ctx, nil)
	require.ErrorIs(t, err, orderkit.ErrUnauthorized)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Invalid authentication token", e.Message)

	fake.Suspend()
	_, err = c.Products.List(ctx, nil)
	require.ErrorIs(t, err, attivita.ErrAccountSuspended)
	require.ErrorIs(t, err, orderkit.ErrForbidden)
	fake.Deactivate()
	_, err = c.Orders.List(ctx)
	require.ErrorIs(t, err, attivita.ErrAccountNotActive)
	fake.Activate()

	// A 500 on the order POST is not retried; on a GET it is.
	posts := fake.Count("POST", "/api/orders")
	fake.FailNext(http.StatusInternalServerError, `{"error":"Internal server error"}`)
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, posts+1, fake.Count("POST", "/api/orders"), "sent once")
	fake.FailNext(http.StatusBadGateway, `<html>bad gateway</html>`)
	_, err = c.Products.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 150, fake.KeysLeft("pool-office-2021"))
}

func TestFakeConcurrentOrders(t *testing.T) {
	c, fake := onFake(t)
	var mu sync.Mutex
	var keys []string
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
			if !assert.NoError(t, err) {
				return
			}
			mu.Lock()
			keys = append(keys, o.Keys()...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	assert.Len(t, keys, 20)
	assertDistinct(t, keys)
	assert.Equal(t, 130, fake.Stock(attivitatest.DemoOfficeID))
}

func TestFakeWebhooks(t *testing.T) {
	c, fake := onFake(t)
	h, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://shop.example/hook", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
	require.NoError(t, err)
	assert.Equal(t, fake.WebhookSecrets()[string(h.Webhook.ID)], h.Secret.Reveal())
	assert.Contains(t, h.Secret.Reveal(), "whsec_")
	assert.True(t, h.Webhook.Active)
	assert.False(t, h.Webhook.CreatedAt.IsZero())

	on := true
	up, err := c.Webhooks.Update(ctx, h.Webhook.ID, &attivita.WebhookUpdate{Events: &attivita.WebhookEvents{ProductPriceChanged: on}})
	require.NoError(t, err)
	assert.Equal(t, attivita.WebhookEvents{ProductPriceChanged: true}, up.Events)

	l, err := c.Webhooks.List(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, l.BetaNotice)
	require.Len(t, l.Webhooks, 1)
	assert.Equal(t, *up, l.Webhooks[0])

	_, err = c.Webhooks.Update(ctx, "missing", &attivita.WebhookUpdate{Active: &on})
	require.ErrorIs(t, err, orderkit.ErrNotFound)
}

func TestFakeOnTransport(t *testing.T) {
	// The fake plugs straight into the client's transport, no listener.
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	c, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
	require.NoError(t, err)
	p, err := c.Products.Get(ctx, attivitatest.DemoOfficeID)
	require.NoError(t, err)
	assert.Equal(t, "149.99", p.Price.String())
}
