package hardening_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/internal/fakehttp"
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
	// reads are the client's other reads, each behaving under a fault as
	// get does: Do on get's path, and the reads added in 0.3.
	reads []read
	// post creates an order (or basket); postIdem the same declared
	// idempotent, nil where the client offers no such call.
	post     func(ctx context.Context) error
	postIdem func(ctx context.Context) error
	postPath string
	// doPost is Do sending a POST to postPath (what the fake makes of its
	// body is not asserted).
	doPost func(ctx context.Context) error
	// acted counts what the fake carried out of the POSTs.
	acted func() int
	// fake is the fake itself, for the faults it plans on its own (those
	// that act and then lose or spoil the answer).
	fake faultVocabulary
}

// read is one reading call of a rig: its name as the client spells it
// ("Orders.Payments", "Do"), its path on the server, and the call.
type read struct {
	name string
	path string
	call func(ctx context.Context) error
}

// allReads is get followed by reads.
func (r *rig) allReads() []read {
	return append([]read{{name: "get", path: r.getPath, call: r.get}}, r.reads...)
}

// calls is every call of the rig: the reads, the POSTs and Do's POST.
func (r *rig) calls() []func(context.Context) error {
	var out []func(context.Context) error
	for _, rd := range r.allReads() {
		out = append(out, rd.call)
	}
	out = append(out, r.post)
	if r.postIdem != nil {
		out = append(out, r.postIdem)
	}
	return append(out, r.doPost)
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
	// wrap replaces or wraps the handler behind the fault server (the
	// echo and redirect scenarios).
	wrap func(next http.Handler) http.Handler
}

// clientOpts are the options every rig client gets: fast retries
// (Retry-After capped at 10 ms), the size cap, and the logger.
func clientOpts(o rigOptions) []orderkit.Option {
	opts := []orderkit.Option{
		orderkit.WithRetry(2, 0, 10*time.Millisecond),
		orderkit.WithMaxResponseBytes(capBytes),
	}
	if o.logger != nil {
		opts = append(opts, orderkit.WithLogger(o.logger))
	}
	return opts
}

// acceptCanaries lets a fake take the canary credentials for its own: the
// client sends the canary over the wire, and the fake, which accepts only
// its Default credentials, sees those in its place. So a client with canary
// credentials goes down every path a real account reaches (creates carried
// out, lost answers looked up), not only the 401 path.
func acceptCanaries(next http.Handler) http.Handler {
	basic := func(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }
	swap := map[string]map[string]string{
		"Authorization": {
			"Bearer " + canaryAttivita:                 "Bearer " + attivitatest.DefaultToken,
			"Bearer " + canaryInvAccess:                "Bearer " + inventorumtest.DefaultAccessToken,
			"Bearer " + canaryInvOAuthAcc:              "Bearer " + inventorumtest.DefaultAccessToken,
			basic(canaryVersaKey, canaryVersaPassword): basic(versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword),
		},
		adility.APIKeyHeader: {canaryAdility: adilitytest.DefaultAPIKey},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for h, m := range swap {
			if v, ok := m[r.Header.Get(h)]; ok {
				r = r.Clone(r.Context())
				r.Header.Set(h, v)
			}
		}
		next.ServeHTTP(w, r)
	})
}

func serve(t *testing.T, next http.Handler, o rigOptions) *fakehttp.Loopback {
	next = acceptCanaries(next)
	if o.wrap != nil {
		next = o.wrap(next)
	}
	fs := fakehttp.NewLoopback(next)
	t.Cleanup(fs.Close)
	return fs
}

var orderSeq atomic.Int64

// doGet is a read through Do of the client's GET path, decoding the answer
// into a json.RawMessage, so that an unreadable answer is an error as for
// the typed read.
func doGet(do func(ctx context.Context, method, path string, body, out any, opts ...orderkit.CallOption) (*orderkit.Response, error), root, path string) read {
	return read{name: "Do", path: path, call: func(ctx context.Context) error {
		var out json.RawMessage
		_, err := do(ctx, http.MethodGet, strings.TrimPrefix(path, root), nil, &out)
		return err
	}}
}

func newAttivitaRig(t *testing.T, o rigOptions) *rig {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	fs := serve(t, fake, o)
	token := o.creds.attivitaToken
	if token == "" {
		token = attivitatest.DefaultToken
	}
	c, err := attivita.NewClient(token, append(clientOpts(o), orderkit.WithBaseURL(attivitatest.BaseURL(fs.URL)))...)
	if err != nil {
		t.Fatal(err)
	}
	getPath := "/api/products/" + attivitatest.DemoOfficeID
	return &rig{
		name: "attivita", fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Products.Get(ctx, attivitatest.DemoOfficeID)
			return err
		},
		getPath: getPath,
		reads:   []read{doGet(c.Do, "/api/", getPath)},
		post: func(ctx context.Context) error {
			_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
			return err
		},
		postPath: "/api/orders",
		doPost: func(ctx context.Context) error {
			body := map[string]any{"products": []map[string]any{{"productId": attivitatest.DemoOfficeID, "amount": 1}}}
			var out json.RawMessage
			_, err := c.Do(ctx, http.MethodPost, "orders", body, &out)
			return err
		},
		acted: fake.OrderCount,
	}
}

func newInventorumRig(t *testing.T, o rigOptions) *rig {
	fake := inventorumtest.NewServer()
	fake.GenerateOrders(3, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute)
	before := fake.Len()
	fs := serve(t, fake, o)
	opts := append(clientOpts(o), orderkit.WithBaseURL(inventorumtest.BaseURL(fs.URL)))
	var c *inventorum.Client
	var err error
	if o.creds.inventorumOAuth != nil {
		c, err = inventorum.NewOAuth2Client(*o.creds.inventorumOAuth, opts...)
	} else {
		token := o.creds.inventorumToken
		if token == "" {
			token = inventorumtest.DefaultAccessToken
		}
		c, err = inventorum.NewClient(token, opts...)
	}
	if err != nil {
		t.Fatal(err)
	}
	getPath := "/api/orders/delta/"
	return &rig{
		name: "inventorum", fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
			return err
		},
		getPath: getPath,
		reads:   []read{doGet(c.Do, "/api/", getPath)},
		post: func(ctx context.Context) error {
			_, err := c.Basket.Create(ctx, &inventorum.BasketRequest{Items: []inventorum.BasketItem{{Product: 1, Quantity: 1, Price: money.MustParse("1.5")}}})
			return err
		},
		postPath: "/api/basket/",
		doPost: func(ctx context.Context) error {
			body := map[string]any{"items": []map[string]any{{"product": 1, "quantity": 1, "price": "1.5"}}}
			var out json.RawMessage
			_, err := c.Do(ctx, http.MethodPost, "basket/", body, &out)
			return err
		},
		acted: func() int { return fake.Len() - before },
	}
}

func newVersaRig(t *testing.T, o rigOptions) *rig {
	fake := versacommercetest.NewServer()
	ord := fake.AddOrder(versacommercetest.Order{Total: money.MustParse("19.99"),
		Payments: []versacommercetest.Payment{{Category: "misc", Amount: money.MustParse("19.99"), Currency: "EUR"}}})
	fs := serve(t, fake, o)
	key, pw := o.creds.versaKey, o.creds.versaPassword
	if key == "" {
		key, pw = versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword
	}
	c, err := versacommerce.NewClient("", key, pw, append(clientOpts(o), orderkit.WithBaseURL(versacommercetest.BaseURL(fs.URL)))...)
	if err != nil {
		t.Fatal(err)
	}
	id := versacommerce.ID(ord.ID)
	getPath := fmt.Sprintf("/api/orders/%d.json", ord.ID)
	return &rig{
		name: "versacommerce", fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Orders.Get(ctx, id, nil)
			return err
		},
		getPath: getPath,
		reads: []read{
			doGet(c.Do, "/api/", getPath),
			{name: "Orders.Payments", path: fmt.Sprintf("/api/orders/%d/payments.json", ord.ID), call: func(ctx context.Context) error {
				_, err := c.Orders.Payments(ctx, id)
				return err
			}},
		},
		post: func(ctx context.Context) error {
			_, err := c.Orders.Create(ctx, versaOrderRequest())
			return err
		},
		postPath: "/api/orders.json",
		doPost: func(ctx context.Context) error {
			var out json.RawMessage
			_, err := c.Do(ctx, http.MethodPost, "orders.json", versaDoBody, &out)
			return err
		},
		acted: func() int { return len(fake.Orders()) - 1 },
	}
}

// versaDoBody is versaOrderRequest as the API takes it, for Do.
var versaDoBody = json.RawMessage(`{"order": {"payment_type": "misc", "payment_cost": "0", "item_total": "0",
	"total": "0", "subtotal": "0", "weight_total": "0", "shipping_cost": "0",
	"items": [{"product_id": 1, "quantity": 1}],
	"billing_address": {"firstname": "Erika", "lastname": "Muster", "street": "Weg", "streetnumber": "1", "zipcode": "12345", "city": "Hannover"},
	"shipping_address": {"firstname": "Erika", "lastname": "Muster", "street": "Weg", "streetnumber": "1", "zipcode": "12345", "city": "Hannover"}}}`)

// adilityDoBody is a Place body for Do, in either format.
type adilityDoBody struct {
	XMLName      xml.Name        `xml:"order" json:"-"`
	OrderNumber  string          `xml:"order_number" json:"order_number"`
	CustomerName string          `xml:"customer_name" json:"customer_name"`
	Items        []adilityDoItem `xml:"items>item" json:"items"`
}

type adilityDoItem struct {
	OfferID  string `xml:"offer_id" json:"offer_id"`
	Quantity int    `xml:"quantity" json:"quantity"`
}

// newAdilityDoBody is a Place of one unit of the fake's offer under a new
// order number.
func newAdilityDoBody(prefix string) adilityDoBody {
	return adilityDoBody{OrderNumber: fmt.Sprintf("%s-%d", prefix, orderSeq.Add(1)), CustomerName: "Erika Mustermann",
		Items: []adilityDoItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}}
}

// adilityDoOut reads any answer of either format.
type adilityDoOut struct {
	XMLName xml.Name        `json:"-"`
	Inner   string          `xml:",innerxml" json:"-"`
	Order   json.RawMessage `xml:"-" json:"order"`
}

func newAdilityRig(t *testing.T, o rigOptions, format adility.Format) *rig {
	key := o.creds.adilityKey
	if key == "" {
		key = adilitytest.DefaultAPIKey
	}
	fake := adilitytest.NewServer()
	fs := serve(t, fake, o)
	c, err := adility.NewClient(key, append(clientOpts(o), orderkit.WithBaseURL(adilitytest.BaseURL(fs.URL)), adility.WithFormat(format))...)
	if err != nil {
		t.Fatal(err)
	}
	// An order to read, placed before any fault is planned.
	first, err := c.Orders.Place(context.Background(), placeRequest(false))
	id, code := adility.ID("unknown"), "unknown"
	if err == nil {
		id = first.ID
		if vs := first.Vouchers(); len(vs) > 0 {
			code = vs[0].RedemptionCode
		}
	} else if o.wrap == nil {
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
	getPath := "/orders/" + string(id)
	return &rig{
		name: name, fs: fs, fake: fake,
		get: func(ctx context.Context) error {
			_, err := c.Orders.Get(ctx, id)
			return err
		},
		getPath: getPath,
		reads: []read{
			{name: "Do", path: getPath, call: func(ctx context.Context) error {
				var out adilityDoOut
				_, err := c.Do(ctx, http.MethodGet, strings.TrimPrefix(getPath, "/"), nil, &out)
				return err
			}},
			{name: "Vouchers.GetByRedemptionCode", path: "/advertisers/" + adilitytest.DemoAdvertiserID + "/vouchers/" + code,
				call: func(ctx context.Context) error {
					_, err := c.Vouchers.GetByRedemptionCode(ctx, adilitytest.DemoAdvertiserID, code)
					return err
				}},
		},
		post:     place(false),
		postIdem: place(true),
		postPath: "/orders",
		doPost: func(ctx context.Context) error {
			var out adilityDoOut
			_, err := c.Do(ctx, http.MethodPost, "orders", newAdilityDoBody("hardening-do"), &out)
			return err
		},
		acted: func() int { return fake.Count("POST", "/orders") - before },
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
