package hardening_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/internal/fakehttp"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

// capBytes is the response-size cap every rig client is given; the loopback's
// Huge answer is far above it.
const capBytes = 1 << 20

// rig is one client in front of its fake, behind a fault server, with a GET
// and a POST that creates something.
type rig struct {
	name string
	fs   *fakehttp.Loopback
	// get reads; getPath is its path on the server.
	get     func(ctx context.Context) error
	getPath string
	// post creates an order (or basket); postIdem the same declared
	// idempotent, nil where the client offers no such call.
	post     func(ctx context.Context) error
	postIdem func(ctx context.Context) error
	postPath string
	// acted counts what the fake carried out of the POSTs.
	acted func() int
	// fake is the fake itself, for the faults it plans on its own (those
	// that act and then lose or spoil the answer).
	fake faultVocabulary
}

// creds are the credentials a rig's client is built with; zero fields take
// the fakes' own.
type creds struct {
	attivitaToken           string
	inventorumToken         string
	inventorumOAuth         *inventorum.OAuth2Config
	versaKey, versaPassword string
	adilityKey              string
}

type rigOptions struct {
	creds  creds
	logger *slog.Logger
	// baseURL replaces the fault server's URL (for the redirect test).
	wrap func(next http.Handler) http.Handler
}

// clientOpts are the pipeline options every rig client gets: fast retries
// (Retry-After capped at 10 ms), the size cap, and the logger.
func clientOpts(o rigOptions) []pipeline.Option {
	opts := []pipeline.Option{
		pipeline.WithRetry(2, 0, 10*time.Millisecond),
		pipeline.WithMaxResponseBytes(capBytes),
	}
	if o.logger != nil {
		opts = append(opts, pipeline.WithLogger(o.logger))
	}
	return opts
}

func serve(t *testing.T, next http.Handler, o rigOptions) *fakehttp.Loopback {
	if o.wrap != nil {
		next = o.wrap(next)
	}
	fs := fakehttp.NewLoopback(next)
	t.Cleanup(fs.Close)
	return fs
}

var orderSeq atomic.Int64

func newAttivitaRig(t *testing.T, o rigOptions) *rig {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	fs := serve(t, fake, o)
	token := o.creds.attivitaToken
	if token == "" {
		token = attivitatest.Token
	}
	c, err := attivita.NewClient(token, append(clientOpts(o), attivita.WithBaseURL(attivitatest.BaseURL(fs.URL)))...)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{
		name: "attivita", fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Products.Get(ctx, attivitatest.DemoOfficeID)
			return err
		},
		getPath: "/api/products/" + attivitatest.DemoOfficeID,
		post: func(ctx context.Context) error {
			_, err := c.Orders.Create(ctx, []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}})
			return err
		},
		postPath: "/api/orders",
		acted:    fake.OrderCount,
	}
}

func newInventorumRig(t *testing.T, o rigOptions) *rig {
	fake := inventorumtest.NewServer()
	fake.GenerateOrders(3, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute)
	before := fake.Len()
	fs := serve(t, fake, o)
	opts := append(clientOpts(o), inventorum.WithBaseURL(inventorumtest.BaseURL(fs.URL)))
	var c *inventorum.Client
	var err error
	if o.creds.inventorumOAuth != nil {
		c, err = inventorum.NewOAuth2Client(*o.creds.inventorumOAuth, opts...)
	} else {
		token := o.creds.inventorumToken
		if token == "" {
			token = inventorumtest.AccessToken
		}
		c, err = inventorum.NewClient(token, opts...)
	}
	if err != nil {
		t.Fatal(err)
	}
	return &rig{
		name: "inventorum", fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Orders.Delta(ctx, inventorum.DeltaOptions{})
			return err
		},
		getPath: "/api/orders/delta/",
		post: func(ctx context.Context) error {
			_, err := c.Basket.Create(ctx, inventorum.BasketRequest{Items: []inventorum.BasketItem{{Product: 1, Quantity: 1, Price: money.MustParse("1.5")}}})
			return err
		},
		postPath: "/api/basket/",
		acted:    func() int { return fake.Len() - before },
	}
}

func newVersaRig(t *testing.T, o rigOptions) *rig {
	fake := versacommercetest.NewServer()
	ord := fake.AddOrder(versacommercetest.Order{Total: money.MustParse("19.99")})
	fs := serve(t, fake, o)
	key, pw := o.creds.versaKey, o.creds.versaPassword
	if key == "" {
		key, pw = versacommercetest.APIKey, versacommercetest.APIPassword
	}
	c, err := versacommerce.NewClient("", key, pw, append(clientOpts(o), versacommerce.WithBaseURL(versacommercetest.BaseURL(fs.URL)))...)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{
		name: "versacommerce", fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Orders.Get(ctx, ord.ID)
			return err
		},
		getPath: "/api/orders/" + strconv.FormatInt(ord.ID, 10) + ".json",
		post: func(ctx context.Context) error {
			_, err := c.Orders.Create(ctx, versaOrderRequest())
			return err
		},
		postPath: "/api/orders.json",
		acted:    func() int { return len(fake.Orders()) - 1 },
	}
}

func newAdilityRig(t *testing.T, o rigOptions, format adility.Format) *rig {
	key := o.creds.adilityKey
	if key == "" {
		key = adilitytest.APIKey
	}
	fake := adilitytest.NewServer(key)
	fs := serve(t, fake, o)
	c, err := adility.NewClient(key, append(clientOpts(o), adility.WithBaseURL(adilitytest.BaseURL(fs.URL)), adility.WithFormat(format))...)
	if err != nil {
		t.Fatal(err)
	}
	// An order to read, placed before any fault is planned.
	first, err := c.Orders.Place(context.Background(), placeRequest(false))
	id := "unknown"
	if err == nil {
		id = first.ID
	} else if o.creds.adilityKey == "" {
		t.Fatalf("placing the order to read: %v", err)
	}
	before := fake.Count("POST", "/orders")
	place := func(idem bool) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.Orders.Place(ctx, placeRequest(idem))
			return err
		}
	}
	name := "adility-json"
	if format == adility.XML {
		name = "adility-xml"
	}
	return &rig{
		name: name, fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Orders.Get(ctx, id)
			return err
		},
		getPath:  "/orders/" + id,
		post:     place(false),
		postIdem: place(true),
		postPath: "/orders",
		acted:    func() int { return fake.Count("POST", "/orders") - before },
	}
}

func placeRequest(idem bool) *adility.PlaceRequest {
	return &adility.PlaceRequest{
		OrderNumber:  fmt.Sprintf("hardening-%d", orderSeq.Add(1)),
		CustomerName: "Erika Mustermann",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}},
		Idempotent:   idem,
	}
}
