package versacommerce_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a settable clock for the fake; the client's runs an hour
// ahead of it (newResolveFake), so that the lookups must read the shop's
// time from its Date header.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newResolveFake(t *testing.T) (*versacommerce.Client, *versacommercetest.Server, *fakeClock) {
	t.Helper()
	c, fake, _ := newFake(t)
	clk := &fakeClock{t: time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC)}
	fake.SetClock(clk.now)
	versacommerce.SetClock(c, func() time.Time { return clk.now().Add(time.Hour) })
	// Orders of other callers, before and after.
	fake.AddOrder(versacommercetest.Order{Note: "someone else"})
	return c, fake, clk
}

func posts(fake *versacommercetest.Server) int { return fake.Count("POST", "/api/orders.json") }

func TestCreateResolvesALostAnswer(t *testing.T) {
	cases := []struct {
		name  string
		fault func(*versacommercetest.Server)
	}{
		{"dropped after acting", (*versacommercetest.Server).DropNextAfterActing},
		{"5xx after acting", func(f *versacommercetest.Server) { f.FailNextAfterActing(502, "<html>Bad Gateway</html>") }},
		{"truncated 2xx", (*versacommercetest.Server).TruncateNextAfterActing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, _ := newResolveFake(t)
			req := minimalOrder()
			req.Items[0].Title = "Stift"
			tc.fault(fake)
			o, err := c.Orders.Create(context.Background(), req, orderkit.Reference("amz-4711"), orderkit.ResolveOutcome())
			require.NoError(t, err)
			require.NotNil(t, o)
			assert.Equal(t, 1, posts(fake), "exactly one POST")
			stored := fake.Orders()
			require.Len(t, stored, 2)
			assert.EqualValues(t, stored[1].ID, o.ID)
			assert.Equal(t, "amz-4711", o.OriginID)
			require.Len(t, o.Items, 1, "the order comes with its items")
			assert.Equal(t, "Stift", o.Items[0].Title)
			assert.EqualValues(t, 1, o.Items[0].ProductID)
		})
	}
}

func TestCreateWithoutResolveOutcomeCarriesTheAttempt(t *testing.T) {
	c, fake, clk := newResolveFake(t)
	fake.DropNextAfterActing()
	before := clk.now().Add(time.Hour) // the client's clock
	_, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("shop-1"))
	require.Error(t, err)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e, "still an *Error")
	var a *orderkit.LostCreateError
	require.ErrorAs(t, err, &a)
	assert.Equal(t, "shop-1", a.Reference)
	assert.IsType(t, &versacommerce.OrderRequest{}, a.Request, "the request Create took")
	assert.False(t, a.SentAt.Before(before))
	assert.False(t, a.EndedAt.Before(a.SentAt))
	assert.True(t, a.ServerDate.IsZero(), "no answer, no Date")

	r, lerr := c.Orders.Resolve(context.Background(), err)
	require.NoError(t, lerr)
	assert.Equal(t, orderkit.Created, r.State)
	require.NotNil(t, r.Order)
	assert.EqualValues(t, fake.Orders()[1].ID, r.Order.ID)
	assert.GreaterOrEqual(t, r.Lookups, 1)
	assert.NoError(t, r.Err())
	assert.Equal(t, 1, posts(fake))
}

func TestResolveNotCreated(t *testing.T) {
	c, fake, clk := newResolveFake(t)
	fake.DropNextBeforeActing()
	_, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("shop-2"))
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Len(t, fake.Orders(), 1, "nothing created")

	r, lerr := c.Orders.Resolve(context.Background(), err)
	require.NoError(t, lerr)
	assert.Equal(t, orderkit.NotCreated, r.State)
	assert.Equal(t, clk.now(), r.AsOf, "as of the shop's time of the lookup")
	assert.False(t, r.SafeToResend, "the lost request could still arrive")
	oe := r.Err()
	assert.ErrorIs(t, oe, orderkit.ErrNotCreated)
	assert.NotErrorIs(t, oe, orderkit.ErrOutcomeUnknown)
	// Looked up again once the window has passed: safe. No answer told
	// the shop's clock at the send, so the time since is measured on
	// ours; an attempt sent earlier stands in for the wait.
	var a *orderkit.LostCreateError
	require.ErrorAs(t, err, &a)
	a.SentAt = a.SentAt.Add(-versacommerce.LostRequestWindow - time.Second)
	a.EndedAt = a.EndedAt.Add(-versacommerce.LostRequestWindow - time.Second)
	r, lerr = c.Orders.Resolve(context.Background(), err)
	require.NoError(t, lerr)
	assert.Equal(t, orderkit.NotCreated, r.State)
	assert.True(t, r.SafeToResend)

	// A 503 answered without acting has a Date: the shop's clock tells
	// the time since the send.
	fake.FailNext(503, "")
	_, err = c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("shop-2b"))
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	require.ErrorAs(t, err, &a)
	assert.Equal(t, clk.now(), a.ServerDate)
	r, lerr = c.Orders.Resolve(context.Background(), err)
	require.NoError(t, lerr)
	assert.Equal(t, orderkit.NotCreated, r.State)
	assert.False(t, r.SafeToResend)
	clk.add(versacommerce.LostRequestWindow + time.Second)
	r, lerr = c.Orders.Resolve(context.Background(), err)
	require.NoError(t, lerr)
	assert.Equal(t, orderkit.NotCreated, r.State)
	assert.Equal(t, clk.now(), r.AsOf)
	assert.True(t, r.SafeToResend)

	// The same through ResolveOutcome.
	fake.DropNextBeforeActing()
	o, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("shop-3"), orderkit.ResolveOutcome())
	assert.Nil(t, o)
	assert.ErrorIs(t, err, orderkit.ErrNotCreated)
	var out *orderkit.OutcomeError
	require.ErrorAs(t, err, &out)
	assert.Equal(t, orderkit.NotCreated, out.State)
	assert.Equal(t, 3, posts(fake), "one POST per Create")
}

func TestResolvePicksTheOrderInTheWindowOfTheLostCall(t *testing.T) {
	c, fake, clk := newResolveFake(t)
	// The same order, same reference, created a minute earlier by a call
	// that succeeded.
	first, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("dup"))
	require.NoError(t, err)
	clk.add(time.Minute)
	fake.DropNextAfterActing()
	o, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("dup"), orderkit.ResolveOutcome())
	require.NoError(t, err)
	require.Len(t, fake.Orders(), 3)
	assert.NotEqual(t, first.ID, o.ID, "never the older order")
	assert.EqualValues(t, fake.Orders()[2].ID, o.ID)

	// Two with the reference inside the window: ambiguous, never a guess.
	clk.add(time.Minute)
	_, err = c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("twice"))
	require.NoError(t, err)
	fake.DropNextAfterActing()
	o, err = c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("twice"), orderkit.ResolveOutcome())
	assert.Nil(t, o)
	assert.ErrorIs(t, err, orderkit.ErrAmbiguous)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var out *orderkit.OutcomeError
	require.ErrorAs(t, err, &out)
	assert.Equal(t, 2, out.Candidates)
}

// TestResolveWithoutReference: a request without a reference (origin_id)
// can be told apart from other orders by its items only, and another
// client's order with the same items would look the same: an order found
// is Ambiguous (never Created), none found NotCreated. The note is not
// filtered on.
func TestResolveWithoutReference(t *testing.T) {
	c, fake, _ := newResolveFake(t)
	req := minimalOrder()
	req.Note = "POS-receipt 88"
	fake.FailNextAfterActing(503, "")
	o, err := c.Orders.Create(context.Background(), req, orderkit.ResolveOutcome())
	assert.Nil(t, o)
	assert.ErrorIs(t, err, orderkit.ErrAmbiguous)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var out *orderkit.OutcomeError
	require.ErrorAs(t, err, &out)
	assert.Equal(t, 1, out.Candidates)
	var listed bool
	for _, r := range fake.Requests() {
		if r.Method == "GET" && r.Query.Get("limit") != "1" {
			listed = true
			assert.Empty(t, r.Query.Get("note"), "no note filter")
			assert.NotEmpty(t, r.Query.Get("created_at_min"))
			assert.Equal(t, "items", r.Query.Get("include"))
		}
	}
	assert.True(t, listed)

	// Not carried out: no order with these items since the send.
	req.Items[0].Quantity = 3
	fake.DropNextBeforeActing()
	_, err = c.Orders.Create(context.Background(), req, orderkit.ResolveOutcome())
	assert.ErrorIs(t, err, orderkit.ErrNotCreated)
	assert.Equal(t, 2, posts(fake))
}

func TestResolveRefusesAnErrorWithoutAttempt(t *testing.T) {
	c, _, _ := newResolveFake(t)
	_, err := c.Orders.Resolve(context.Background(), errors.New("something else"))
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestResolveFindsTheOrderDespiteAShopClockFarBehind(t *testing.T) {
	// The fake's clock is an hour behind the client's; the lost answer has
	// no Date, so the window is placed by the first lookup's.
	c, fake, _ := newResolveFake(t)
	fake.DropNextAfterActing()
	_, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("far"))
	require.Error(t, err)
	r, lerr := c.Orders.Resolve(context.Background(), err)
	require.NoError(t, lerr)
	assert.Equal(t, orderkit.Created, r.State)
	assert.Equal(t, 3, r.Lookups, "an empty first window, then the shop's: a page and the empty page that ends it")
}

func TestCreateRefusesAReferenceThatContradictsOriginID(t *testing.T) {
	c, fake, _ := newResolveFake(t)
	req := minimalOrder()
	req.OriginID = "a"
	_, err := c.Orders.Create(context.Background(), req, orderkit.Reference("b"))
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 0, posts(fake))
	// The same reference twice is fine, and so is the caller's OriginID
	// alone.
	req.OriginID = "b"
	fake.DropNextAfterActing()
	o, err := c.Orders.Create(context.Background(), req, orderkit.Reference("b"), orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Equal(t, "b", o.OriginID)
	req.OriginID = "c"
	fake.DropNextAfterActing()
	o, err = c.Orders.Create(context.Background(), req, orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Equal(t, "c", o.OriginID)
}

func TestCreateWithAContextDoneBeforeSendingIsAPlainContextError(t *testing.T) {
	fake := versacommercetest.NewServer()
	var hits int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Orders.Create(ctx, minimalOrder(), orderkit.Reference("x"), orderkit.ResolveOutcome())
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var a *orderkit.LostCreateError
	assert.False(t, errors.As(err, &a))
	mu.Lock()
	assert.Equal(t, 0, hits, "the fake received no request")
	mu.Unlock()
}

// isProbe reports whether r is Resolve's question whether the shop reads
// the created_at bounds by their names (a bound far in the future or
// past): a shop that does lists nothing.
func isProbe(r *http.Request) bool {
	q := r.URL.Query()
	return strings.HasPrefix(q.Get("created_at_min"), "21") || strings.HasPrefix(q.Get("created_at_max"), "2000-")
}

// TestResolveWhenTheShopDoesNotEchoOriginID: an order created since the
// send with our items, without the reference — the origin_id key absent,
// or null as on every order of a shop that does not keep it — may be ours:
// Ambiguous, never NotCreated. Once another order shows the shop keeps
// origin_id, or the items differ, it is not ours.
func TestResolveWhenTheShopDoesNotEchoOriginID(t *testing.T) {
	c, mock := newMock(t)
	date := time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC)
	serve := func(orders string) {
		mock.RegisterResponder("GET", base+"/orders.json", func(r *http.Request) (*http.Response, error) {
			body := `[]`
			if !isProbe(r) && r.URL.Query().Get("id_min") == "" {
				body = orders
			}
			resp, err := respond(t, 200, []byte(body))(r)
			resp.Header.Set("Date", date.Format(http.TimeFormat))
			return resp, err
		})
	}
	now := time.Now()
	lost := &orderkit.LostCreateError{Request: minimalOrder(), Reference: "ref-1", SentAt: now, EndedAt: now, ServerDate: date,
		Err: orderkit.ErrOutcomeUnknown}
	const items = `"items": [{"id": 9, "product_id": 1, "quantity": 1}]`
	for _, tc := range []struct {
		name, orders string
		want         orderkit.ResolutionState
	}{
		{"no origin_id key", `[{"order": {"id": 7, "created_at": "2024-05-06T10:00:00Z", "total": "1.00", ` + items + `}}]`, orderkit.Ambiguous},
		{"null origin_id", `[{"order": {"id": 7, "created_at": "2024-05-06T10:00:00Z", "origin_id": null, ` + items + `}}]`, orderkit.Ambiguous},
		{"null origin_id, items not nested", `[{"order": {"id": 7, "created_at": "2024-05-06T10:00:00Z", "origin_id": null}}]`, orderkit.Ambiguous},
		{"null origin_id, another order's kept", `[{"order": {"id": 7, "created_at": "2024-05-06T10:00:00Z", "origin_id": null, ` + items + `}},
			{"order": {"id": 8, "created_at": "2024-05-06T10:00:01Z", "origin_id": "ebay-77", ` + items + `}}]`, orderkit.NotCreated},
		{"null origin_id, other items", `[{"order": {"id": 7, "created_at": "2024-05-06T10:00:00Z", "origin_id": null,
			"items": [{"id": 9, "product_id": 2, "quantity": 1}]}}]`, orderkit.NotCreated},
		{"ours", `[{"order": {"id": 7, "created_at": "2024-05-06T10:00:00Z", "origin_id": "ref-1", ` + items + `}}]`, orderkit.Created},
	} {
		t.Run(tc.name, func(t *testing.T) {
			serve(tc.orders)
			r, err := c.Orders.Resolve(context.Background(), lost)
			require.NoError(t, err)
			assert.Equal(t, tc.want, r.State)
			assert.Equal(t, 3, r.Lookups, "the probe, the page, the empty page")
			if tc.want == orderkit.NotCreated {
				assert.Equal(t, date, r.AsOf)
				assert.False(t, r.SafeToResend, "the shop's clock shows no time since the send")
			}
		})
	}
}

func TestCreateCaptureKeepsTheCreatesAnswerWhileResolving(t *testing.T) {
	c, fake, _ := newResolveFake(t)
	fake.FailNextAfterActing(502, "")
	var res orderkit.Response
	o, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("cap"),
		orderkit.ResolveOutcome(), orderkit.CaptureResponse(&res))
	require.NoError(t, err)
	assert.Equal(t, "cap", o.OriginID)
	assert.Equal(t, 502, res.StatusCode, "the create's answer, not a lookup's")
}

func TestALostCreatesErrorReadsAsBefore(t *testing.T) {
	c, fake, _ := newResolveFake(t)
	fake.FailNextAfterActing(502, "<html>Bad Gateway</html>")
	_, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("msg"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "502 Bad Gateway")
	assert.True(t, strings.HasPrefix(err.Error(), "versacommerce: create: "), err.Error())
	assert.Contains(t, err.Error(), "<html>Bad Gateway</html>", "the body excerpt is kept")
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Nil(t, e.Err)
	assert.ErrorIs(t, e, orderkit.ErrOutcomeUnknown)
	var a *orderkit.LostCreateError
	require.ErrorAs(t, err, &a)
	assert.Equal(t, "msg", a.Reference)
}

// TestCreateResolvesUnderEveryReading resolves a lost create among other
// callers' orders made in the same window, under every reading switch of
// the fake: the three root readings, a page cap of one order, a shop that
// ignores limit, one that ignores id_min, and one that reads created_at_min
// as "before" (walked whole). The lookup finds the order with exactly one
// POST; where the shop cannot be walked by id (id_min
// ignored) it fails with ErrInvalidResponse and still sends no second POST.
func TestCreateResolvesUnderEveryReading(t *testing.T) {
	for _, root := range []versacommercetest.RootElement{versacommercetest.RootAsDocumented, versacommercetest.RootNever, versacommercetest.RootAlways} {
		for _, pageCap := range []int{0, 1} {
			for _, ignoreLimit := range []bool{false, true} {
				for _, ignoreIDMin := range []bool{false, true} {
					for _, swap := range []bool{false, true} {
						name := fmt.Sprintf("root=%d/cap=%d/ignoreLimit=%t/ignoreIDMin=%t/swapCreatedAt=%t", root, pageCap, ignoreLimit, ignoreIDMin, swap)
						t.Run(name, func(t *testing.T) {
							c, fake, _ := newResolveFake(t)
							fake.SetRootElement(root)
							fake.SetPageCap(pageCap)
							fake.SetIgnoreLimit(ignoreLimit)
							fake.SetIgnoreIDMin(ignoreIDMin)
							fake.SetCreatedAtBounds(createdAtBounds(swap))
							for i := 0; i < 4; i++ {
								fake.AddOrder(versacommercetest.Order{Note: "someone else", Extra: map[string]json.RawMessage{"origin_id": json.RawMessage(fmt.Sprintf(`"other-%d"`, i))}})
							}
							fake.DropNextAfterActing()
							o, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("amz-9"), orderkit.ResolveOutcome())
							assert.Equal(t, 1, posts(fake), "exactly one POST")
							if ignoreIDMin && pageCap == 1 {
								// The second page repeats the first: the walk
								// refuses it rather than guess.
								require.Error(t, err)
								assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
								assert.NotErrorIs(t, err, orderkit.ErrInvalidResponse, "the lookup's failure is not the create's answer")
								var lost *orderkit.LostCreateError
								require.ErrorAs(t, err, &lost)
								assert.ErrorIs(t, lost.LookupErr, orderkit.ErrInvalidResponse)
								var pe *versacommerce.PagingError
								assert.ErrorAs(t, lost.LookupErr, &pe)
								return
							}
							if ignoreIDMin {
								// One page holds them all; the next one repeats
								// it and is refused likewise.
								require.Error(t, err)
								assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
								var lost *orderkit.LostCreateError
								require.ErrorAs(t, err, &lost)
								assert.ErrorIs(t, lost.LookupErr, orderkit.ErrInvalidResponse)
								return
							}
							require.NoError(t, err)
							stored := fake.Orders()
							require.Len(t, stored, 6)
							assert.EqualValues(t, stored[5].ID, o.ID)
							assert.Equal(t, "amz-9", o.OriginID)
							require.Len(t, o.Items, 1, "the order comes with its items")
							if pageCap == 1 {
								assert.GreaterOrEqual(t, fake.Count("GET", "/api/orders.json"), 8, "the probe, six orders in the window, one a page, then the empty page")
							}
						})
					}
				}
			}
		}
	}
}

// TestResolveUnderSwappedCreatedAtBounds: the vendor's filter table words
// created_at_min as "creation before date". A shop that reads it so lists
// only orders made before the send; the lookup sees that (a bound far in
// the future lists orders) and walks every order instead, so it finds the
// order, or proves there is none, with or without a Date header on the
// lost answer, with a reference or without.
func TestResolveUnderSwappedCreatedAtBounds(t *testing.T) {
	for _, older := range []bool{true, false} {
		for _, byRef := range []bool{true, false} {
			for _, lost := range []string{"dropped after acting", "502 after acting", "dropped before acting"} {
				t.Run(fmt.Sprintf("older=%t/ref=%t/%s", older, byRef, lost), func(t *testing.T) {
					c, fake, clk := newResolveFake(t)
					fake.SetCreatedAtBounds(versacommercetest.CreatedAtAsTableWords)
					req := minimalOrder()
					var opts []orderkit.CallOption
					if byRef {
						opts = append(opts, orderkit.Reference("swap-1"))
					}
					if older {
						// An earlier order like it, outside the window.
						o := versacommercetest.Order{CreatedAt: clk.now().Add(-time.Hour), Items: []versacommercetest.Item{{ProductID: 1, Quantity: 1}}}
						if byRef {
							o.Extra = map[string]json.RawMessage{"origin_id": json.RawMessage(`"swap-0"`)}
						}
						fake.AddOrder(o)
						clk.add(versacommerce.LostRequestWindow + time.Minute)
					}
					switch lost {
					case "dropped after acting":
						fake.DropNextAfterActing()
					case "502 after acting":
						fake.FailNextAfterActing(502, "")
					default:
						fake.DropNextBeforeActing()
					}
					_, err := c.Orders.Create(context.Background(), req, opts...)
					require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
					clk.add(versacommerce.LostRequestWindow + 2*time.Second)
					r, lerr := c.Orders.Resolve(context.Background(), err)
					require.NoError(t, lerr)
					switch {
					case lost == "dropped before acting":
						assert.Equal(t, orderkit.NotCreated, r.State)
						assert.True(t, r.SafeToResend, "every order seen, the window passed")
					case byRef:
						assert.Equal(t, orderkit.Created, r.State)
						assert.Equal(t, "swap-1", r.Order.OriginID)
					default:
						assert.Equal(t, orderkit.Ambiguous, r.State, "without a reference the order found cannot be proven ours")
						assert.Len(t, r.Candidates, 1)
					}
					for _, q := range fake.Requests()[1:] {
						if q.Query.Get("limit") != "1" {
							assert.Empty(t, q.Query.Get("created_at_min"), "walked whole: %v", q.Query)
						}
					}
					assert.Equal(t, 1, posts(fake))
				})
			}
		}
	}
}

func TestResolveComparesOriginName(t *testing.T) {
	c, fake, clk := newResolveFake(t)
	// Another source's order with the same origin_id, in the window.
	fake.AddOrder(versacommercetest.Order{Extra: map[string]json.RawMessage{
		"origin_id": json.RawMessage(`"4711"`), "origin_name": json.RawMessage(`"ebay"`)}})
	clk.add(time.Second)
	req := minimalOrder()
	req.OriginName = "amazon"
	fake.DropNextAfterActing()
	o, err := c.Orders.Create(context.Background(), req, orderkit.Reference("4711"), orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.EqualValues(t, fake.Orders()[2].ID, o.ID, "the order with the origin_name sent, not the other source's")
	assert.Equal(t, "amazon", o.OriginName)

	fake.DropNextBeforeActing()
	_, err = c.Orders.Create(context.Background(), req, orderkit.Reference("4712"), orderkit.ResolveOutcome())
	assert.ErrorIs(t, err, orderkit.ErrNotCreated, "the other source's order under another origin_id is not ours")
	assert.Equal(t, 2, posts(fake))
}

func TestResolveWhenTheShopDoesNotEchoOriginName(t *testing.T) {
	// A shop that echoes origin_id but not origin_name: the order with the
	// reference cannot be told to be ours or another source's (Ambiguous),
	// and it must never read as "not created".
	c, mock := newMock(t)
	date := time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC)
	for _, name := range []string{`null`, `""`, ``} {
		t.Run(name, func(t *testing.T) {
			page := 0
			mock.RegisterResponder("GET", base+"/orders.json", func(r *http.Request) (*http.Response, error) {
				body := `[]`
				if !isProbe(r) {
					page++
					if page == 1 {
						field := ""
						if name != "" {
							field = `, "origin_name": ` + name
						}
						body = `[{"order": {"id": 7, "created_at": "2024-05-06T10:00:00Z", "origin_id": "ref-1"` + field + `}}]`
					}
				}
				resp, err := respond(t, 200, []byte(body))(r)
				resp.Header.Set("Date", date.Format(http.TimeFormat))
				return resp, err
			})
			req := minimalOrder()
			req.OriginName = "amazon"
			now := time.Now()
			lost := &orderkit.LostCreateError{Request: req, Reference: "ref-1", SentAt: now, EndedAt: now, ServerDate: date,
				Err: orderkit.ErrOutcomeUnknown}
			r, err := c.Orders.Resolve(context.Background(), lost)
			require.NoError(t, err)
			assert.Equal(t, orderkit.Ambiguous, r.State)
			assert.Len(t, r.Candidates, 1)
		})
	}
}

// TestResolveWithAnOrderDate: with CreatedAt (the order date) set, the
// page does not say whether the shop keeps that date or the time of
// creation; the lookup finds the order under either reading, and under a
// swapped reading of created_at_min too, among an earlier order of the same
// date from another source.
func TestResolveWithAnOrderDate(t *testing.T) {
	orderDate := time.Date(2024, 4, 1, 8, 0, 0, 0, time.UTC)
	for _, ignore := range []bool{false, true} {
		for _, swap := range []bool{false, true} {
			for _, acted := range []bool{true, false} {
				t.Run(fmt.Sprintf("ignoreCreatedAt=%t/swap=%t/acted=%t", ignore, swap, acted), func(t *testing.T) {
					c, fake, clk := newResolveFake(t)
					fake.AddOrder(versacommercetest.Order{CreatedAt: orderDate,
						Extra: map[string]json.RawMessage{"origin_id": json.RawMessage(`"other"`)}})
					clk.add(time.Hour)
					fake.SetCreatedAtOnCreate(createdAtOnCreate(ignore))
					fake.SetCreatedAtBounds(createdAtBounds(swap))
					req := minimalOrder()
					req.CreatedAt = orderDate
					if acted {
						fake.DropNextAfterActing()
					} else {
						fake.DropNextBeforeActing()
					}
					o, err := c.Orders.Create(context.Background(), req, orderkit.Reference("dated-1"), orderkit.ResolveOutcome())
					assert.Equal(t, 1, posts(fake))
					switch {
					case acted:
						require.NoError(t, err)
						stored := fake.Orders()
						require.Len(t, stored, 3)
						assert.EqualValues(t, stored[2].ID, o.ID)
						assert.Equal(t, "dated-1", o.OriginID)
					default:
						assert.ErrorIs(t, err, orderkit.ErrNotCreated)
					}
				})
			}
		}
	}
}

// createdAtBounds is the fake's reading of the created_at bounds: as the
// vendor's table words them when swap, else by their names.
func createdAtBounds(swap bool) versacommercetest.CreatedAtBounds {
	if swap {
		return versacommercetest.CreatedAtAsTableWords
	}
	return versacommercetest.CreatedAtByName
}

// createdAtOnCreate is the time the fake's Create stamps: the time of
// creation when ignore, else the order date sent.
func createdAtOnCreate(ignore bool) versacommercetest.CreatedAtOnCreate {
	if ignore {
		return versacommercetest.CreatedAtOfCreation
	}
	return versacommercetest.CreatedAtAsSent
}
