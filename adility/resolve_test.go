package adility_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
)

func lostRequest(number string) *adility.PlaceRequest {
	return &adility.PlaceRequest{OrderNumber: number, CustomerName: "Jane Doe",
		Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 2}}}
}

// checkFakeOrder requires o to be the fake's order with this number, field
// by field, vouchers included.
func checkFakeOrder(t *testing.T, fake *adilitytest.Server, number string, o *adility.Order) {
	t.Helper()
	want, ok := fake.OrderByNumber(number)
	require.True(t, ok, "the fake has the order")
	require.NotNil(t, o)
	assert.Equal(t, adility.ID(want.ID), o.ID)
	assert.Equal(t, number, o.OrderNumber)
	assert.Equal(t, adility.OrderActive, o.Status)
	assert.Equal(t, "Jane Doe", o.CustomerName)
	vs := o.Vouchers()
	require.Len(t, vs, len(want.Items[0].Vouchers))
	for i, v := range vs {
		assert.Equal(t, adility.ID(want.Items[0].Vouchers[i].ID), v.ID)
		assert.Equal(t, want.Items[0].Vouchers[i].RedemptionCode, v.RedemptionCode)
		assert.Equal(t, adility.VoucherAcquired, v.Status)
	}
}

// lostPlace places req with fault queued, and requires the answer lost.
func lostPlace(t *testing.T, c *adility.Client, req *adility.PlaceRequest) *orderkit.LostCreateError {
	t.Helper()
	o, err := c.Orders.Place(context.Background(), req)
	require.Nil(t, o)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, "adility", lost.API)
	assert.Equal(t, req.OrderNumber, lost.Reference)
	assert.Same(t, req, lost.Request, "the request as Place took it")
	assert.Equal(t, *req, *adility.SentRequest(lost), "a copy of what was sent")
	assert.NotSame(t, req, adility.SentRequest(lost))
	assert.False(t, lost.SentAt.IsZero())
	assert.False(t, lost.EndedAt.Before(lost.SentAt))
	var e *orderkit.Error
	assert.ErrorAs(t, err, &e, "the call's *Error is reachable")
	return lost
}

// checkPlacedUnreadable requires err to say the order was placed but is
// out of reach.
func checkPlacedUnreadable(t *testing.T, err error, number string, refused bool) {
	t.Helper()
	for _, target := range []error{adility.ErrPlacedUnreadable, orderkit.ErrUnresolvable, orderkit.ErrOutcomeUnknown} {
		assert.ErrorIs(t, err, target)
	}
	if refused {
		assert.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
	} else {
		assert.NotErrorIs(t, err, adility.ErrDuplicateOrderNumber, "nothing was refused")
	}
	assert.NotErrorIs(t, err, orderkit.ErrNotCreated)
	var placed *adility.PlacedError
	require.ErrorAs(t, err, &placed)
	assert.Equal(t, number, placed.OrderNumber)
	assert.Contains(t, err.Error(), `"`+number+`"`)
}

// The faults that lose a Place's answer, by name.
var placeFaults = map[string]func(*adilitytest.Server){
	"dropped before acting": (*adilitytest.Server).DropNextBeforeActing,
	"dropped after acting":  (*adilitytest.Server).DropNextAfterActing,
	"502 after acting":      func(s *adilitytest.Server) { s.FailNextAfterActing(502, "<html>Bad Gateway</html>") },
	"503 after acting":      func(s *adilitytest.Server) { s.FailNextAfterActing(503, "") },
	"500 before acting":     func(s *adilitytest.Server) { s.FailNext(500, `{"error":"boom"}`) },
	"truncated 201":         (*adilitytest.Server).TruncateNextAfterActing,
}

// Resolve only reads: under every fault that loses a Place's answer, in
// both formats and under both readings of the duplicate refusal, it sends
// no POST, however often it is called; neither does Place with
// ResolveOutcome.
func TestResolveNeverSendsAPlace(t *testing.T) {
	for _, tf := range formats {
		for name, fault := range placeFaults {
			for _, namesOrder := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/names order %v", tf.name, name, namesOrder), func(t *testing.T) {
					c, fake := newFake(t, tf.f, orderkit.WithRetry(0, 0, 0))
					fake.SetDuplicateRefusal(refusalNaming(namesOrder))
					fault(fake)
					lost := lostPlace(t, c, lostRequest("ro-1"))
					var err error = lost
					for range 3 {
						var res orderkit.Resolution[*adility.Order]
						res, err = c.Orders.Resolve(context.Background(), lost)
						require.NoError(t, err)
						if name == "truncated 201" {
							require.Equal(t, orderkit.Created, res.State)
							checkFakeOrder(t, fake, "ro-1", res.Order)
						} else {
							require.Equal(t, orderkit.Unresolvable, res.State)
						}
					}
					fault(fake)
					_, err = c.Orders.Place(context.Background(), lostRequest("ro-2"), orderkit.ResolveOutcome())
					for _, r := range fake.Requests() {
						if r.Method == http.MethodPost {
							assert.Contains(t, r.Body, "ro-", "only the two Places")
						}
					}
					assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"), "one POST per Place, none by Resolve")
					if name == "truncated 201" {
						require.NoError(t, err)
					} else {
						require.ErrorIs(t, err, orderkit.ErrUnresolvable)
					}
				})
			}
		}
	}
}

func TestResolveAndPlaceAgainAfterLostAnswers(t *testing.T) {
	type want struct {
		resolved    orderkit.ResolutionState // what Resolve finds
		again       orderkit.ResolutionState // what PlaceAgain ends in
		posts, gets int                      // in all
		answered    int
	}
	for _, tf := range formats {
		for name, tc := range map[string]struct {
			fault      func(*adilitytest.Server)
			namesOrder bool
			want       want
		}{
			// The default reading: a duplicate refusal names no order.
			"dropped after acting":  {(*adilitytest.Server).DropNextAfterActing, false, want{orderkit.Unresolvable, orderkit.Unresolvable, 2, 0, 0}},
			"5xx after acting":      {func(s *adilitytest.Server) { s.FailNextAfterActing(502, "<html>Bad Gateway</html>") }, false, want{orderkit.Unresolvable, orderkit.Unresolvable, 2, 0, 0}},
			"dropped before acting": {(*adilitytest.Server).DropNextBeforeActing, false, want{orderkit.Unresolvable, orderkit.Created, 2, 0, 0}},
			// What arrived of a cut-off 201 names the order: Get reads
			// it (Resolve, then PlaceAgain), and nothing is sent again.
			"truncated 201": {(*adilitytest.Server).TruncateNextAfterActing, false, want{orderkit.Created, orderkit.Created, 1, 2, 201}},
			// The reading where the refusal names the existing order.
			"dropped after acting, refusal names the order":  {(*adilitytest.Server).DropNextAfterActing, true, want{orderkit.Unresolvable, orderkit.Created, 2, 1, 0}},
			"5xx after acting, refusal names the order":      {func(s *adilitytest.Server) { s.FailNextAfterActing(503, "") }, true, want{orderkit.Unresolvable, orderkit.Created, 2, 1, 0}},
			"dropped before acting, refusal names the order": {(*adilitytest.Server).DropNextBeforeActing, true, want{orderkit.Unresolvable, orderkit.Created, 2, 0, 0}},
			"truncated 201, refusal names the order":         {(*adilitytest.Server).TruncateNextAfterActing, true, want{orderkit.Created, orderkit.Created, 1, 2, 201}},
		} {
			t.Run(tf.name+"/"+name, func(t *testing.T) {
				c, fake := newFake(t, tf.f, orderkit.WithRetry(0, 0, 0))
				fake.SetDuplicateRefusal(refusalNaming(tc.namesOrder))
				req := lostRequest("lost-1")
				tc.fault(fake)
				lost := lostPlace(t, c, req)
				answered, _ := adility.Evidence(lost)
				assert.Equal(t, tc.want.answered, answered)
				// ServerDate is the Date of an answer that arrived (a 5xx,
				// a cut-off 201); a dropped connection has none.
				assert.Equal(t, !strings.HasPrefix(name, "dropped"), !lost.ServerDate.IsZero(), "ServerDate %v", lost.ServerDate)
				assert.Equal(t, time.UTC, lost.ServerDate.Location())

				res, err := c.Orders.Resolve(context.Background(), lost)
				require.NoError(t, err)
				assert.Equal(t, tc.want.resolved, res.State)
				assert.Nil(t, res.Candidates)
				assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "Resolve sends no Place")
				switch res.State {
				case orderkit.Created:
					assert.Equal(t, 1, res.Lookups)
					checkFakeOrder(t, fake, "lost-1", res.Order)
					assert.NoError(t, res.Err())
				case orderkit.Unresolvable:
					assert.Equal(t, 0, res.Lookups)
					assert.Nil(t, res.Order)
					rerr := res.Err()
					assert.ErrorIs(t, rerr, orderkit.ErrUnresolvable)
					assert.ErrorIs(t, rerr, orderkit.ErrOutcomeUnknown)
					assert.NotErrorIs(t, rerr, adility.ErrPlacedUnreadable, "nothing says it was placed")
					var again *orderkit.LostCreateError
					require.ErrorAs(t, rerr, &again, "PlaceAgain takes it")
					assert.Same(t, lost, again)
				}

				o, err := c.Orders.PlaceAgain(context.Background(), res.Err())
				if res.State == orderkit.Created {
					o, err = c.Orders.PlaceAgain(context.Background(), lost)
				}
				assert.Equal(t, tc.want.posts, fake.Count(http.MethodPost, "/orders"))
				require.Len(t, fake.Orders(), 1, "placed exactly once")
				id := fake.Orders()[0].ID
				assert.Equal(t, tc.want.gets, fake.Count(http.MethodGet, "/orders/"+id))
				switch tc.want.again {
				case orderkit.Created:
					require.NoError(t, err)
					checkFakeOrder(t, fake, "lost-1", o)
				case orderkit.Unresolvable:
					assert.Nil(t, o)
					checkPlacedUnreadable(t, err, "lost-1", true)
					var placed *adility.PlacedError
					require.ErrorAs(t, err, &placed)
					assert.Same(t, req, placed.Request)
					assert.Empty(t, placed.OrderID)
					assert.False(t, placed.ServerDate.IsZero(), "the refusal's Date header")
				}
			})
		}
	}
}

// ResolveOutcome makes Place resolve by itself, reading only; PlaceAgain
// takes its error.
func TestPlaceWithResolveOutcome(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, fake := newFake(t, tf.f, orderkit.WithRetry(0, 0, 0))
			fake.DropNextAfterActing()
			_, err := c.Orders.Place(context.Background(), lostRequest("auto-1"), orderkit.ResolveOutcome())
			var oe *orderkit.OutcomeError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, orderkit.Unresolvable, oe.State)
			assert.Equal(t, 0, oe.Lookups)
			assert.ErrorIs(t, err, orderkit.ErrUnresolvable)
			assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
			assert.NotErrorIs(t, err, adility.ErrPlacedUnreadable)
			assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "ResolveOutcome sends no Place")
			_, err = c.Orders.PlaceAgain(context.Background(), err)
			checkPlacedUnreadable(t, err, "auto-1", true)
			assert.Len(t, fake.Orders(), 1)

			fake.TruncateNextAfterActing()
			o, err := c.Orders.Place(context.Background(), lostRequest("auto-2"), orderkit.ResolveOutcome())
			require.NoError(t, err, "the cut answer names the order: Place reads it")
			checkFakeOrder(t, fake, "auto-2", o)

			fake.DropNextBeforeActing()
			_, err = c.Orders.Place(context.Background(), lostRequest("auto-3"), orderkit.ResolveOutcome())
			require.ErrorIs(t, err, orderkit.ErrUnresolvable)
			o, err = c.Orders.PlaceAgain(context.Background(), err)
			require.NoError(t, err)
			checkFakeOrder(t, fake, "auto-3", o)
			assert.Len(t, fake.Orders(), 3, "each placed once")
			assert.Equal(t, 5, fake.Count(http.MethodPost, "/orders"))
		})
	}
}

// The case an Idempotent Place used to end in with a bare 422: the retry
// after a dropped answer is refused as a duplicate.
func TestIdempotentPlaceAfterDroppedAnswer(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, fake := newFake(t, tf.f)
			req := lostRequest("idem-1")
			req.Idempotent = true
			fake.DropNextAfterActing()
			_, err := c.Orders.Place(context.Background(), req)
			checkPlacedUnreadable(t, err, "idem-1", true)
			assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))

			res, rerr := c.Orders.Resolve(context.Background(), err)
			require.NoError(t, rerr)
			assert.Equal(t, orderkit.Unresolvable, res.State)
			assert.Equal(t, 0, res.Lookups, "nothing more to ask")
			_, aerr := c.Orders.PlaceAgain(context.Background(), err)
			checkPlacedUnreadable(t, aerr, "idem-1", true)
			assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"), "not sent again")

			fake.SetDuplicateRefusal(refusalNaming(true))
			req.OrderNumber = "idem-2"
			fake.DropNextAfterActing()
			o, err := c.Orders.Place(context.Background(), req)
			require.NoError(t, err, "the refusal names the order: Place reads it")
			checkFakeOrder(t, fake, "idem-2", o)
			assert.Len(t, fake.Orders(), 2)
		})
	}
}

// Two identical orders a minute apart (the API needs distinct numbers):
// PlaceAgain keys on the lost call's number and never takes the older.
func TestPlaceAgainTellsIdenticalOrdersApart(t *testing.T) {
	for _, namesOrder := range []bool{false, true} {
		c, fake := newFake(t, adility.JSON, orderkit.WithRetry(0, 0, 0))
		fake.SetDuplicateRefusal(refusalNaming(namesOrder))
		var mu sync.Mutex
		now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
		fake.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
		older, err := c.Orders.Place(context.Background(), lostRequest("same-a"))
		require.NoError(t, err)
		mu.Lock()
		now = now.Add(time.Minute)
		mu.Unlock()
		fake.DropNextAfterActing()
		lost := lostPlace(t, c, lostRequest("same-b"))
		o, err := c.Orders.PlaceAgain(context.Background(), lost)
		if namesOrder {
			require.NoError(t, err)
			assert.NotEqual(t, adility.ID(older.ID), o.ID)
			checkFakeOrder(t, fake, "same-b", o)
			assert.Equal(t, time.Date(2024, 3, 1, 12, 1, 0, 0, time.UTC), o.PurchasedAt)
		} else {
			checkPlacedUnreadable(t, err, "same-b", true)
		}
		assert.Len(t, fake.Orders(), 2)
	}
}

// A repeated Place refused for another reason proves nothing.
func TestPlaceAgainOtherRefusalStaysUnresolvable(t *testing.T) {
	c, fake := newFake(t, adility.JSON, orderkit.WithRetry(0, 0, 0))
	fake.DropNextBeforeActing()
	lost := lostPlace(t, c, lostRequest("other-1"))
	fake.FailNext(422, `{"errors":{"offer_id":["is sold out"]}}`)
	o, err := c.Orders.PlaceAgain(context.Background(), lost)
	assert.Nil(t, o)
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, orderkit.Unresolvable, oe.State)
	assert.ErrorIs(t, err, orderkit.ErrUnresolvable)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, orderkit.ErrValidation)
	assert.NotErrorIs(t, err, adility.ErrPlacedUnreadable)
	var ve *orderkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, map[string][]string{"offer_id": {"is sold out"}}, ve.Fields)
	var again *orderkit.LostCreateError
	require.ErrorAs(t, err, &again)
	assert.Same(t, lost, again)
	assert.Empty(t, fake.Orders())
}

// A PlaceAgain that is lost too is an error PlaceAgain takes in turn.
// Run under both readings of the duplicate refusal.
func TestPlaceAgainLostAgain(t *testing.T) {
	for _, namesOrder := range []bool{false, true} {
		c, fake := newFake(t, adility.XML, orderkit.WithRetry(0, 0, 0))
		fake.SetDuplicateRefusal(refusalNaming(namesOrder))
		fake.DropNextBeforeActing()
		lost := lostPlace(t, c, lostRequest("again-1"))
		fake.DropNextBeforeActing()
		o, err := c.Orders.PlaceAgain(context.Background(), lost)
		assert.Nil(t, o)
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		var again *orderkit.LostCreateError
		require.ErrorAs(t, err, &again)
		assert.Equal(t, "again-1", again.Reference)
		o, err = c.Orders.PlaceAgain(context.Background(), err)
		require.NoError(t, err)
		checkFakeOrder(t, fake, "again-1", o)
		assert.Equal(t, 3, fake.Count(http.MethodPost, "/orders"))
		assert.Len(t, fake.Orders(), 1)
	}
}

func TestResolveAndPlaceAgainRefuseOtherErrors(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	for _, err := range []error{nil, errors.New("boom"), orderkit.ErrOutcomeUnknown,
		&orderkit.LostCreateError{}, &orderkit.LostCreateError{API: "attivita", Reference: "n", Err: orderkit.ErrOutcomeUnknown}} {
		_, rerr := c.Orders.Resolve(context.Background(), err)
		require.ErrorIs(t, rerr, orderkit.ErrInvalidArgument)
		_, rerr = c.Orders.PlaceAgain(context.Background(), err)
		require.ErrorIs(t, rerr, orderkit.ErrInvalidArgument)
	}
	lost := adility.NewLostPlace(lostRequest("n-1"))
	_, err := c.Orders.Resolve(context.Background(), lost, orderkit.CallOption{})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Orders.PlaceAgain(context.Background(), lost, orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Empty(t, fake.Requests())
}

// A context done before anything is sent is a plain context error: the
// outcome is known (nothing was placed).
func TestPlaceWithDoneContextSendsNothing(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Orders.Place(ctx, lostRequest("ctx-1"), orderkit.ResolveOutcome())
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	assert.False(t, errors.As(err, &lost))
	assert.Empty(t, fake.Requests(), "the fake received no request")
}

// A PlaceAgain that cannot send (its context is done) keeps the lost Place
// in its error: the outcome is still unknown, and PlaceAgain can be called
// again. Run under both readings of the duplicate refusal.
func TestPlaceAgainWithDoneContextKeepsTheLostPlace(t *testing.T) {
	for _, namesOrder := range []bool{false, true} {
		c, fake := newFake(t, adility.JSON, orderkit.WithRetry(0, 0, 0))
		fake.SetDuplicateRefusal(refusalNaming(namesOrder))
		fake.DropNextAfterActing()
		lost := lostPlace(t, c, lostRequest("later-1"))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Orders.PlaceAgain(ctx, lost)
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		var again *orderkit.LostCreateError
		require.ErrorAs(t, err, &again)
		assert.Equal(t, "later-1", again.Reference)
		assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "nothing sent")

		o, err := c.Orders.PlaceAgain(context.Background(), err)
		assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
		assert.Len(t, fake.Orders(), 1)
		if namesOrder {
			require.NoError(t, err)
			checkFakeOrder(t, fake, "later-1", o)
			continue
		}
		checkPlacedUnreadable(t, err, "later-1", true)
	}
}

// A Place that is not idempotent is resent only after an attempt that
// surely did not act: a duplicate then means the number was used before,
// and is reported as such, not as placed by this call.
func TestRetriedPlaceRefusedAsDuplicateIsNotPlacedByIt(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	_, err := c.Orders.Place(context.Background(), lostRequest("used-1"))
	require.NoError(t, err)
	fake.FailNextRetryAfter(http.StatusServiceUnavailable, time.Millisecond, "")
	_, err = c.Orders.Place(context.Background(), lostRequest("used-1"))
	require.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
	assert.NotErrorIs(t, err, adility.ErrPlacedUnreadable)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 2, e.Attempts)
	assert.Len(t, fake.Orders(), 1)
}

// A 201 whose body is complete but unreadable further on still names the
// order at its start: Resolve reads it with Get and sends nothing again.
func TestResolveUnreadable201NamingTheOrder(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			body := `{"order":{"id":"4f1d2c3b9a0e7d0011000001","order_number":"myuniqueordernumber000","items":[{"quantity":"x"}]}}`
			if tf.f == adility.XML {
				body = `<?xml version="1.0"?><order><id>4f1d2c3b9a0e7d0011000001</id><items><item><quantity>x</quantity></item></items></order>`
			}
			mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(201, tf.mime, body))
			mock.RegisterResponder(http.MethodGet, testBase+"/orders/4f1d2c3b9a0e7d0011000001", respond(200, tf.mime, fixture(t, "placed_order."+tf.ext)))
			req := samplePlace(tf.f)
			req.OrderNumber = "myuniqueordernumber000"
			_, err := c.Orders.Place(context.Background(), req)
			require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			var lost *orderkit.LostCreateError
			require.ErrorAs(t, err, &lost)
			answered, orderID := adility.Evidence(lost)
			assert.Equal(t, 201, answered)
			assert.Equal(t, adility.ID("4f1d2c3b9a0e7d0011000001"), orderID)
			res, err := c.Orders.Resolve(context.Background(), err)
			require.NoError(t, err)
			require.Equal(t, orderkit.Created, res.State)
			assert.Equal(t, "myuniqueordernumber000", res.Order.OrderNumber)
			assert.Len(t, res.Order.Vouchers(), 2)
			assert.Equal(t, 1, res.Lookups)
			assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+testBase+"/orders"], "not sent again")
		})
	}
}

// A 2xx answer to the lost Place proves the order was placed: neither
// Resolve nor PlaceAgain sends the Place again after one, whether the
// answer named no id, named an id that does not lead to the order, or Get
// failed for a while.
func TestResolveAfterA2xxNeverSendsAgain(t *testing.T) {
	const id = "4f1d2c3b9a0e7d0011000001"
	for _, tf := range formats {
		named := `{"order":{"id":"` + id + `","order_number":"myuniqueordernumber000","items":[{"quantity":"x"}]}}`
		if tf.f == adility.XML {
			named = `<?xml version="1.0"?><order><id>` + id + `</id><items><item><quantity>x</quantity></item></items></order>`
		}
		for name, tc := range map[string]struct {
			placed, get string
			getStatus   int
			wantID      adility.ID
			wantErr     bool
		}{
			"no id in the answer":      {placed: `{"order":`, wantID: ""},
			"the id is not found":      {placed: named, get: `{"error":"not found"}`, getStatus: 404, wantID: id},
			"Get fails: resolve again": {placed: named, get: "", getStatus: 503, wantID: id, wantErr: true},
		} {
			t.Run(tf.name+"/"+name, func(t *testing.T) {
				c, mock := newMocked(t, tf.f, orderkit.WithRetry(0, 0, 0))
				body := tc.placed
				if tf.f == adility.XML && body == `{"order":` {
					body = `<?xml version="1.0"?><order><order_number>`
				}
				mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(201, tf.mime, body))
				mock.RegisterResponder(http.MethodGet, testBase+"/orders/"+id, respond(tc.getStatus, "application/json", tc.get))
				req := samplePlace(tf.f)
				req.OrderNumber = "myuniqueordernumber000"
				_, err := c.Orders.Place(context.Background(), req)
				var lost *orderkit.LostCreateError
				require.ErrorAs(t, err, &lost)
				answered, orderID := adility.Evidence(lost)
				require.Equal(t, 201, answered)
				require.Equal(t, tc.wantID, orderID)

				_, aerr := c.Orders.PlaceAgain(context.Background(), err)
				require.Error(t, aerr)
				res, rerr := c.Orders.Resolve(context.Background(), err)
				assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+testBase+"/orders"], "not sent again")
				if tc.wantErr {
					require.Error(t, rerr)
					assert.ErrorIs(t, rerr, orderkit.ErrOutcomeUnknown)
					assert.Equal(t, orderkit.Unresolved, res.State)
					assert.Equal(t, 1, res.Lookups)
					mock.RegisterResponder(http.MethodGet, testBase+"/orders/"+id, respond(200, tf.mime, fixture(t, "placed_order."+tf.ext)))
					res, rerr = c.Orders.Resolve(context.Background(), rerr)
					require.NoError(t, rerr)
					require.Equal(t, orderkit.Created, res.State)
					assert.Equal(t, "myuniqueordernumber000", res.Order.OrderNumber)
					o, aerr := c.Orders.PlaceAgain(context.Background(), err)
					require.NoError(t, aerr)
					assert.Equal(t, "myuniqueordernumber000", o.OrderNumber)
					assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+testBase+"/orders"], "not sent again")
					return
				}
				require.NoError(t, rerr)
				assert.Equal(t, orderkit.Unresolvable, res.State)
				assert.Nil(t, res.Order)
				for _, e := range []error{res.Err(), aerr} {
					checkPlacedUnreadable(t, e, "myuniqueordernumber000", false)
					var placed *adility.PlacedError
					require.ErrorAs(t, e, &placed)
					assert.Equal(t, tc.wantID, placed.OrderID)
					assert.Same(t, req, placed.Request)
				}
			})
		}
	}
}

// A refusal named an order whose Get then failed for a while: the
// outcome is not final, and Resolve then reads the order; the Place is
// never sent again.
func TestPlacedErrorWhoseGetFails(t *testing.T) {
	fake := adilitytest.NewServer()
	fake.SetDuplicateRefusal(refusalNaming(true))
	var mu sync.Mutex
	failGets := 1
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fail := r.Method == http.MethodGet && failGets > 0
		if fail {
			failGets--
		}
		mu.Unlock()
		if fail {
			http.Error(w, "", http.StatusServiceUnavailable)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL(srv.URL+"/distribution/beta"), orderkit.WithRetry(0, 0, 0))
	require.NoError(t, err)
	fake.DropNextAfterActing()
	lost := lostPlace(t, c, lostRequest("flaky-1"))
	_, err = c.Orders.PlaceAgain(context.Background(), lost)
	require.Error(t, err, "Get failed after the duplicate refusal")
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var placed *adility.PlacedError
	require.ErrorAs(t, err, &placed, "what is known is kept")
	assert.NotEmpty(t, placed.OrderID)
	assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
	res, err := c.Orders.Resolve(context.Background(), err)
	require.NoError(t, err)
	require.Equal(t, orderkit.Created, res.State)
	checkFakeOrder(t, fake, "flaky-1", res.Order)
	assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"), "not sent again")
}

// PlaceAgain sends only the number the lost Place sent, and what was sent:
// a change to the caller's request afterwards is not sent.
func TestPlaceAgainSendsWhatWasSent(t *testing.T) {
	c, fake := newFake(t, adility.JSON, orderkit.WithRetry(0, 0, 0))
	fake.DropNextBeforeActing()
	req := lostRequest("mine-1")
	lost := lostPlace(t, c, req)
	lost.Reference = "mine-2"
	_, err := c.Orders.PlaceAgain(context.Background(), lost)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "nothing sent")
	assert.Empty(t, fake.Orders())

	lost.Reference = "mine-1"
	req.OrderNumber, req.CustomerName = "mine-3", "Someone Else"
	o, err := c.Orders.PlaceAgain(context.Background(), lost)
	require.NoError(t, err)
	checkFakeOrder(t, fake, "mine-1", o)
}

// A 409 is taken for the duplicate order number only when it says nothing
// else: a 409 that names another conflict (an offer sold out since) proves
// nothing, and must not tell the caller the order was placed.
func TestPlaceAgainConflictForAnotherReason(t *testing.T) {
	for name, tc := range map[string]struct {
		body   string
		placed bool
	}{
		"bare 409":                 {"", true},
		"409 naming the number":    {`{"error":"Order number is already in use"}`, true},
		"409 naming another thing": {`{"error":"Offer is sold out"}`, false},
		"409 with a field refusal": {`{"errors":{"offer_id":["is sold out"]}}`, false},
		// A refusal that names the number but says something is missing.
		"409 naming the number, not exist": {`{"error":"Offer does not exist (order number conflict-1)"}`, false},
	} {
		t.Run(name, func(t *testing.T) {
			c, fake := newFake(t, adility.JSON, orderkit.WithRetry(0, 0, 0))
			fake.DropNextBeforeActing()
			lost := lostPlace(t, c, lostRequest("conflict-1"))
			fake.FailNext(http.StatusConflict, tc.body)
			o, err := c.Orders.PlaceAgain(context.Background(), lost)
			assert.Nil(t, o)
			assert.ErrorIs(t, err, orderkit.ErrUnresolvable)
			if tc.placed {
				checkPlacedUnreadable(t, err, "conflict-1", true)
			} else {
				assert.NotErrorIs(t, err, adility.ErrPlacedUnreadable, "nothing says the order was placed")
				assert.NotErrorIs(t, err, adility.ErrDuplicateOrderNumber)
			}
			assert.Empty(t, fake.Orders())
			assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
		})
	}
}

// Several PlaceAgains of one lost Place at once (two workers picking up the
// same failure) send the same order number each; the order is placed once,
// and every PlaceAgain says so: the one whose Place went through has it,
// the others were refused as duplicates and report it placed (or read it,
// when the refusal names it). Run under both readings of the duplicate
// refusal.
func TestConcurrentPlaceAgainsPlaceOnce(t *testing.T) {
	const workers = 4
	for _, namesOrder := range []bool{false, true} {
		for name, fault := range map[string]func(*adilitytest.Server){
			"dropped before acting": (*adilitytest.Server).DropNextBeforeActing,
			"dropped after acting":  (*adilitytest.Server).DropNextAfterActing,
		} {
			t.Run(name+map[bool]string{false: "", true: "/refusal names the order"}[namesOrder], func(t *testing.T) {
				c, fake := newFake(t, adility.JSON, orderkit.WithRetry(0, 0, 0))
				fake.SetDuplicateRefusal(refusalNaming(namesOrder))
				fault(fake)
				lost := lostPlace(t, c, lostRequest("race-1"))

				orders := make([]*adility.Order, workers)
				errs := make([]error, workers)
				var wg sync.WaitGroup
				for i := range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						orders[i], errs[i] = c.Orders.PlaceAgain(context.Background(), lost)
					}()
				}
				wg.Wait()

				require.Len(t, fake.Orders(), 1, "placed exactly once")
				assert.Equal(t, 1+workers, fake.Count(http.MethodPost, "/orders"), "each PlaceAgain sent the Place once")
				created := 0
				for i, o := range orders {
					if errs[i] == nil {
						created++
						checkFakeOrder(t, fake, "race-1", o)
						continue
					}
					assert.False(t, namesOrder, "a refusal naming the order is read")
					checkPlacedUnreadable(t, errs[i], "race-1", true)
				}
				switch {
				case namesOrder:
					assert.Equal(t, workers, created, "every PlaceAgain reads the one order")
				case name == "dropped before acting":
					assert.Equal(t, 1, created, "one PlaceAgain placed it; the others were refused")
				default:
					assert.Equal(t, 0, created, "the lost Place made it; every PlaceAgain was refused")
				}
			})
		}
	}
}

// refusalNaming is the fake's duplicate refusal: naming the order at the
// top level when names, else plain.
func refusalNaming(names bool) adilitytest.DuplicateRefusal {
	if names {
		return adilitytest.DuplicateRefusalTopLevel
	}
	return adilitytest.DuplicateRefusalPlain
}
