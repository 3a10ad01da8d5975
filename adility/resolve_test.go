package adility_test

import (
	"context"
	"errors"
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
	assert.Equal(t, want.ID, o.ID)
	assert.Equal(t, number, o.OrderNumber)
	assert.Equal(t, adility.OrderActive, o.Status)
	assert.Equal(t, "Jane Doe", o.CustomerName)
	vs := o.Vouchers()
	require.Len(t, vs, len(want.Items[0].Vouchers))
	for i, v := range vs {
		assert.Equal(t, want.Items[0].Vouchers[i].ID, v.ID)
		assert.Equal(t, want.Items[0].Vouchers[i].RedemptionCode, v.RedemptionCode)
		assert.Equal(t, adility.VoucherAcquired, v.Status)
	}
}

// lostPlace places req with fault queued, and requires the answer lost.
func lostPlace(t *testing.T, c *adility.Client, req *adility.PlaceRequest) *adility.LostPlaceError {
	t.Helper()
	o, err := c.Orders.Place(context.Background(), req)
	require.Nil(t, o)
	require.ErrorIs(t, err, adility.ErrOutcomeUnknown)
	var lost *adility.LostPlaceError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, req.OrderNumber, lost.OrderNumber)
	assert.Equal(t, *req, lost.Request)
	assert.False(t, lost.SentAt.IsZero())
	var e *adility.Error
	assert.ErrorAs(t, err, &e, "the call's *Error is reachable")
	return lost
}

func TestResolveAfterLostAnswers(t *testing.T) {
	type want struct {
		state            orderkit.ResolutionState
		posts, gets      int
		lookups, answerd int
	}
	for _, tf := range formats {
		for name, tc := range map[string]struct {
			fault      func(*adilitytest.Server)
			namesOrder bool
			want       want
		}{
			// The default reading: a duplicate refusal names no order.
			"dropped after acting":  {(*adilitytest.Server).DropNextAfterActing, false, want{orderkit.Unresolvable, 2, 0, 1, 0}},
			"5xx after acting":      {func(s *adilitytest.Server) { s.FailNextAfterActing(502, "<html>Bad Gateway</html>") }, false, want{orderkit.Unresolvable, 2, 0, 1, 0}},
			"dropped before acting": {(*adilitytest.Server).DropNextBeforeActing, false, want{orderkit.Created, 2, 0, 1, 0}},
			// What arrived of a cut-off 201 names the order: Get reads
			// it, and nothing is sent again.
			"truncated 201": {(*adilitytest.Server).TruncateNextAfterActing, false, want{orderkit.Created, 1, 1, 1, 201}},
			// The reading where the refusal names the existing order.
			"dropped after acting, refusal names the order":  {(*adilitytest.Server).DropNextAfterActing, true, want{orderkit.Created, 2, 1, 2, 0}},
			"5xx after acting, refusal names the order":      {func(s *adilitytest.Server) { s.FailNextAfterActing(503, "") }, true, want{orderkit.Created, 2, 1, 2, 0}},
			"dropped before acting, refusal names the order": {(*adilitytest.Server).DropNextBeforeActing, true, want{orderkit.Created, 2, 0, 1, 0}},
			"truncated 201, refusal names the order":         {(*adilitytest.Server).TruncateNextAfterActing, true, want{orderkit.Created, 1, 1, 1, 201}},
		} {
			t.Run(tf.name+"/"+name, func(t *testing.T) {
				c, fake := newFake(t, tf.f, adility.WithRetry(0, 0, 0))
				fake.SetDuplicateRefusalNamesOrder(tc.namesOrder)
				req := lostRequest("lost-1")
				tc.fault(fake)
				lost := lostPlace(t, c, req)
				assert.Equal(t, tc.want.answerd, lost.Answered)
				// ServerDate is the Date of an answer that arrived (a 5xx,
				// a cut-off 201); a dropped connection has none.
				assert.Equal(t, !strings.HasPrefix(name, "dropped"), !lost.ServerDate.IsZero(), "ServerDate %v", lost.ServerDate)
				assert.Equal(t, time.UTC, lost.ServerDate.Location())

				res, err := c.Orders.Resolve(context.Background(), lost)
				require.NoError(t, err)
				assert.Equal(t, tc.want.state, res.State)
				assert.Equal(t, tc.want.lookups, res.Lookups)
				assert.Equal(t, tc.want.posts, fake.Count(http.MethodPost, "/orders"))
				require.Len(t, fake.Orders(), 1, "placed exactly once")
				id := fake.Orders()[0].ID
				assert.Equal(t, tc.want.gets, fake.Count(http.MethodGet, "/orders/"+id))
				assert.Nil(t, res.Candidates)
				switch tc.want.state {
				case orderkit.Created:
					checkFakeOrder(t, fake, "lost-1", res.Order)
					assert.NoError(t, res.Err())
				case orderkit.Unresolvable:
					assert.Nil(t, res.Order)
					rerr := res.Err()
					for _, target := range []error{adility.ErrPlacedUnreadable, adility.ErrUnresolvable,
						adility.ErrOutcomeUnknown, adility.ErrDuplicateOrderNumber} {
						assert.ErrorIs(t, rerr, target)
					}
					assert.NotErrorIs(t, rerr, adility.ErrNotCreated)
					var placed *adility.PlacedError
					require.ErrorAs(t, rerr, &placed)
					assert.Equal(t, "lost-1", placed.OrderNumber)
					assert.Equal(t, *req, placed.Request)
					assert.Empty(t, placed.OrderID)
					assert.False(t, placed.ServerDate.IsZero(), "the refusal's Date header")
					assert.Contains(t, rerr.Error(), `"lost-1"`)
				}
			})
		}
	}
}

// ResolveOutcome makes Place resolve by itself.
func TestPlaceWithResolveOutcome(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, fake := newFake(t, tf.f, adility.WithRetry(0, 0, 0))
			fake.DropNextAfterActing()
			_, err := c.Orders.Place(context.Background(), lostRequest("auto-1"), adility.ResolveOutcome())
			var oe *adility.OutcomeError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, orderkit.Unresolvable, oe.State)
			assert.Equal(t, 1, oe.Lookups)
			assert.ErrorIs(t, err, adility.ErrPlacedUnreadable)
			assert.ErrorIs(t, err, adility.ErrUnresolvable)
			assert.ErrorIs(t, err, adility.ErrOutcomeUnknown)
			assert.Len(t, fake.Orders(), 1)

			fake.SetDuplicateRefusalNamesOrder(true)
			fake.DropNextAfterActing()
			o, err := c.Orders.Place(context.Background(), lostRequest("auto-2"), adility.ResolveOutcome())
			require.NoError(t, err)
			checkFakeOrder(t, fake, "auto-2", o)

			fake.DropNextBeforeActing()
			o, err = c.Orders.Place(context.Background(), lostRequest("auto-3"), adility.ResolveOutcome())
			require.NoError(t, err)
			checkFakeOrder(t, fake, "auto-3", o)
			assert.Len(t, fake.Orders(), 3, "each placed once")
			assert.Equal(t, 6, fake.Count(http.MethodPost, "/orders"))
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
			var placed *adility.PlacedError
			require.ErrorAs(t, err, &placed)
			assert.ErrorIs(t, err, adility.ErrPlacedUnreadable)
			assert.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
			assert.Equal(t, "idem-1", placed.OrderNumber)
			assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))

			res, err := c.Orders.Resolve(context.Background(), err)
			require.NoError(t, err)
			assert.Equal(t, orderkit.Unresolvable, res.State)
			assert.Equal(t, 0, res.Lookups, "nothing more to ask")
			assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"), "not sent again")

			fake.SetDuplicateRefusalNamesOrder(true)
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
// the resolver keys on the lost call's number and never takes the older.
func TestResolveTellsIdenticalOrdersApart(t *testing.T) {
	for _, namesOrder := range []bool{false, true} {
		c, fake := newFake(t, adility.JSON, adility.WithRetry(0, 0, 0))
		fake.SetDuplicateRefusalNamesOrder(namesOrder)
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
		res, err := c.Orders.Resolve(context.Background(), lost)
		require.NoError(t, err)
		if namesOrder {
			require.Equal(t, orderkit.Created, res.State)
			assert.NotEqual(t, older.ID, res.Order.ID)
			checkFakeOrder(t, fake, "same-b", res.Order)
			assert.Equal(t, time.Date(2024, 3, 1, 12, 1, 0, 0, time.UTC), res.Order.PurchasedAt)
		} else {
			require.Equal(t, orderkit.Unresolvable, res.State)
			var placed *adility.PlacedError
			require.ErrorAs(t, res.Err(), &placed)
			assert.Equal(t, "same-b", placed.OrderNumber)
		}
		assert.Len(t, fake.Orders(), 2)
	}
}

// A repeated Place refused for another reason proves nothing.
func TestResolveOtherRefusalStaysUnresolvable(t *testing.T) {
	c, fake := newFake(t, adility.JSON, adility.WithRetry(0, 0, 0))
	fake.DropNextBeforeActing()
	fake.FailNext(422, `{"errors":{"offer_id":["is sold out"]}}`)
	lost := lostPlace(t, c, lostRequest("other-1"))
	res, err := c.Orders.Resolve(context.Background(), lost)
	require.NoError(t, err)
	assert.Equal(t, orderkit.Unresolvable, res.State)
	rerr := res.Err()
	assert.ErrorIs(t, rerr, adility.ErrUnresolvable)
	assert.ErrorIs(t, rerr, adility.ErrOutcomeUnknown)
	assert.ErrorIs(t, rerr, adility.ErrValidation)
	assert.NotErrorIs(t, rerr, adility.ErrPlacedUnreadable)
	var ve *adility.ValidationError
	require.ErrorAs(t, rerr, &ve)
	assert.Equal(t, map[string][]string{"offer_id": {"is sold out"}}, ve.Fields)
	assert.Empty(t, fake.Orders())
}

// A lookup that is lost too is an error that can be resolved in turn.
// Run under both readings of the duplicate refusal.
func TestResolveLostAgain(t *testing.T) {
	for _, namesOrder := range []bool{false, true} {
		c, fake := newFake(t, adility.XML, adility.WithRetry(0, 0, 0))
		fake.SetDuplicateRefusalNamesOrder(namesOrder)
		fake.DropNextBeforeActing()
		fake.DropNextBeforeActing()
		lost := lostPlace(t, c, lostRequest("again-1"))
		res, err := c.Orders.Resolve(context.Background(), lost)
		require.ErrorIs(t, err, adility.ErrOutcomeUnknown)
		assert.Equal(t, orderkit.Unresolved, res.State)
		var again *adility.LostPlaceError
		require.ErrorAs(t, err, &again)
		assert.Equal(t, "again-1", again.OrderNumber)
		res, err = c.Orders.Resolve(context.Background(), err)
		require.NoError(t, err)
		assert.Equal(t, orderkit.Created, res.State)
		checkFakeOrder(t, fake, "again-1", res.Order)
		assert.Equal(t, 3, fake.Count(http.MethodPost, "/orders"))
		assert.Len(t, fake.Orders(), 1)
	}
}

func TestResolveRefusesOtherErrors(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	for _, err := range []error{nil, errors.New("boom"), adility.ErrOutcomeUnknown} {
		_, rerr := c.Orders.Resolve(context.Background(), err)
		require.ErrorIs(t, rerr, adility.ErrInvalidArgument)
	}
	_, err := c.Orders.Resolve(context.Background(), &adility.LostPlaceError{}, nil)
	require.ErrorIs(t, err, adility.ErrInvalidArgument)
	assert.Empty(t, fake.Requests())
}

// A context done before anything is sent is a plain context error: the
// outcome is known (nothing was placed).
func TestPlaceWithDoneContextSendsNothing(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Orders.Place(ctx, lostRequest("ctx-1"), adility.ResolveOutcome())
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, adility.ErrOutcomeUnknown)
	var lost *adility.LostPlaceError
	assert.False(t, errors.As(err, &lost))
	assert.Empty(t, fake.Requests(), "the fake received no request")
}

// A Resolve that cannot send (its context is done) keeps the lost Place in
// its error: the outcome is still unknown, and Resolve can be called again.
// Run under both readings of the duplicate refusal.
func TestResolveWithDoneContextKeepsTheLostPlace(t *testing.T) {
	for _, namesOrder := range []bool{false, true} {
		c, fake := newFake(t, adility.JSON, adility.WithRetry(0, 0, 0))
		fake.SetDuplicateRefusalNamesOrder(namesOrder)
		fake.DropNextAfterActing()
		lost := lostPlace(t, c, lostRequest("later-1"))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res, err := c.Orders.Resolve(ctx, lost)
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, adility.ErrOutcomeUnknown)
		assert.Equal(t, orderkit.Unresolved, res.State)
		var again *adility.LostPlaceError
		require.ErrorAs(t, err, &again)
		assert.Equal(t, "later-1", again.OrderNumber)
		assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "nothing sent")

		res, err = c.Orders.Resolve(context.Background(), err)
		require.NoError(t, err)
		assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
		assert.Len(t, fake.Orders(), 1)
		if namesOrder {
			require.Equal(t, orderkit.Created, res.State)
			checkFakeOrder(t, fake, "later-1", res.Order)
			continue
		}
		require.Equal(t, orderkit.Unresolvable, res.State)
		var placed *adility.PlacedError
		require.ErrorAs(t, res.Err(), &placed)
		assert.Equal(t, "later-1", placed.OrderNumber)
		assert.ErrorIs(t, res.Err(), adility.ErrPlacedUnreadable)
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
	assert.NotErrorIs(t, err, adility.ErrOutcomeUnknown)
	var e *adility.Error
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
			require.ErrorIs(t, err, adility.ErrInvalidResponse)
			var lost *adility.LostPlaceError
			require.ErrorAs(t, err, &lost)
			assert.Equal(t, 201, lost.Answered)
			assert.Equal(t, "4f1d2c3b9a0e7d0011000001", lost.OrderID)
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

// A 2xx answer to the lost Place proves the order was placed: Resolve never
// sends the Place again after one, whether the answer named no id, named an
// id that does not lead to the order, or Get failed for a while.
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
			wantID      string
			wantErr     bool
		}{
			"no id in the answer":      {placed: `{"order":`, wantID: ""},
			"the id is not found":      {placed: named, get: `{"error":"not found"}`, getStatus: 404, wantID: id},
			"Get fails: resolve again": {placed: named, get: "", getStatus: 503, wantID: id, wantErr: true},
		} {
			t.Run(tf.name+"/"+name, func(t *testing.T) {
				c, mock := newMocked(t, tf.f, adility.WithRetry(0, 0, 0))
				body := tc.placed
				if tf.f == adility.XML && body == `{"order":` {
					body = `<?xml version="1.0"?><order><order_number>`
				}
				mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(201, tf.mime, body))
				mock.RegisterResponder(http.MethodGet, testBase+"/orders/"+id, respond(tc.getStatus, "application/json", tc.get))
				req := samplePlace(tf.f)
				req.OrderNumber = "myuniqueordernumber000"
				_, err := c.Orders.Place(context.Background(), req)
				var lost *adility.LostPlaceError
				require.ErrorAs(t, err, &lost)
				require.Equal(t, 201, lost.Answered)
				require.Equal(t, tc.wantID, lost.OrderID)

				res, rerr := c.Orders.Resolve(context.Background(), err)
				assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+testBase+"/orders"], "not sent again")
				if tc.wantErr {
					require.Error(t, rerr)
					assert.ErrorIs(t, rerr, adility.ErrOutcomeUnknown)
					assert.Equal(t, orderkit.Unresolved, res.State)
					assert.Equal(t, 1, res.Lookups)
					mock.RegisterResponder(http.MethodGet, testBase+"/orders/"+id, respond(200, tf.mime, fixture(t, "placed_order."+tf.ext)))
					res, rerr = c.Orders.Resolve(context.Background(), rerr)
					require.NoError(t, rerr)
					require.Equal(t, orderkit.Created, res.State)
					assert.Equal(t, "myuniqueordernumber000", res.Order.OrderNumber)
					assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+testBase+"/orders"], "not sent again")
					return
				}
				require.NoError(t, rerr)
				assert.Equal(t, orderkit.Unresolvable, res.State)
				assert.Nil(t, res.Order)
				var placed *adility.PlacedError
				require.ErrorAs(t, res.Err(), &placed)
				assert.Equal(t, "myuniqueordernumber000", placed.OrderNumber)
				assert.Equal(t, tc.wantID, placed.OrderID)
				assert.Equal(t, *req, placed.Request)
				assert.ErrorIs(t, res.Err(), adility.ErrPlacedUnreadable)
				assert.NotErrorIs(t, res.Err(), adility.ErrDuplicateOrderNumber, "nothing was refused")
			})
		}
	}
}

// A refusal named an order whose Get then failed for a while: the
// resolution is not final, and resolving again reads the order; the Place
// is never sent again.
func TestResolvePlacedErrorWhoseGetFails(t *testing.T) {
	fake := adilitytest.NewServer(adilitytest.APIKey)
	fake.SetDuplicateRefusalNamesOrder(true)
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
	c, err := adility.NewClient(adilitytest.APIKey, adility.WithBaseURL(srv.URL+"/distribution/beta"), adility.WithRetry(0, 0, 0))
	require.NoError(t, err)
	fake.DropNextAfterActing()
	lost := lostPlace(t, c, lostRequest("flaky-1"))
	_, err = c.Orders.Resolve(context.Background(), lost)
	require.Error(t, err, "Get failed after the duplicate refusal")
	assert.ErrorIs(t, err, adility.ErrOutcomeUnknown)
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

// Resolve sends only the number the lost Place sent.
func TestResolveRefusesARequestWithAnotherNumber(t *testing.T) {
	c, fake := newFake(t, adility.JSON, adility.WithRetry(0, 0, 0))
	fake.DropNextBeforeActing()
	lost := lostPlace(t, c, lostRequest("mine-1"))
	lost.Request.OrderNumber = "mine-2"
	_, err := c.Orders.Resolve(context.Background(), lost)
	require.ErrorIs(t, err, adility.ErrInvalidArgument)
	assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "nothing sent")
	assert.Empty(t, fake.Orders())
}

// A 409 is taken for the duplicate order number only when it says nothing
// else: a 409 that names another conflict (an offer sold out since) proves
// nothing, and must not tell the caller the order was placed.
func TestResolveConflictForAnotherReason(t *testing.T) {
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
			c, fake := newFake(t, adility.JSON, adility.WithRetry(0, 0, 0))
			fake.DropNextBeforeActing()
			fake.FailNext(http.StatusConflict, tc.body)
			lost := lostPlace(t, c, lostRequest("conflict-1"))
			res, err := c.Orders.Resolve(context.Background(), lost)
			require.NoError(t, err)
			assert.Equal(t, orderkit.Unresolvable, res.State)
			assert.Nil(t, res.Order)
			rerr := res.Err()
			assert.ErrorIs(t, rerr, adility.ErrUnresolvable)
			if tc.placed {
				assert.ErrorIs(t, rerr, adility.ErrPlacedUnreadable)
				assert.ErrorIs(t, rerr, adility.ErrDuplicateOrderNumber)
			} else {
				assert.NotErrorIs(t, rerr, adility.ErrPlacedUnreadable, "nothing says the order was placed")
				assert.NotErrorIs(t, rerr, adility.ErrDuplicateOrderNumber)
			}
			assert.Empty(t, fake.Orders())
			assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
		})
	}
}

// Several Resolves of one lost Place at once (two workers picking up the
// same failure) send the same order number each; the order is placed once,
// and every Resolve says so: the one whose Place went through has it, the
// others were refused as duplicates and report it placed (or read it, when
// the refusal names it). Run under both readings of the duplicate refusal.
func TestConcurrentResolvesPlaceOnce(t *testing.T) {
	const workers = 4
	for _, namesOrder := range []bool{false, true} {
		for name, fault := range map[string]func(*adilitytest.Server){
			"dropped before acting": (*adilitytest.Server).DropNextBeforeActing,
			"dropped after acting":  (*adilitytest.Server).DropNextAfterActing,
		} {
			t.Run(name+map[bool]string{false: "", true: "/refusal names the order"}[namesOrder], func(t *testing.T) {
				c, fake := newFake(t, adility.JSON, adility.WithRetry(0, 0, 0))
				fake.SetDuplicateRefusalNamesOrder(namesOrder)
				fault(fake)
				lost := lostPlace(t, c, lostRequest("race-1"))

				results := make([]adility.Resolution, workers)
				errs := make([]error, workers)
				var wg sync.WaitGroup
				for i := range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						results[i], errs[i] = c.Orders.Resolve(context.Background(), lost)
					}()
				}
				wg.Wait()

				require.Len(t, fake.Orders(), 1, "placed exactly once")
				assert.Equal(t, 1+workers, fake.Count(http.MethodPost, "/orders"), "each Resolve sent the Place once")
				created := 0
				for i, res := range results {
					require.NoError(t, errs[i])
					switch res.State {
					case orderkit.Created:
						created++
						checkFakeOrder(t, fake, "race-1", res.Order)
					case orderkit.Unresolvable:
						assert.False(t, namesOrder, "a refusal naming the order is read")
						var placed *adility.PlacedError
						require.ErrorAs(t, res.Err(), &placed)
						assert.Equal(t, "race-1", placed.OrderNumber)
						assert.ErrorIs(t, res.Err(), adility.ErrPlacedUnreadable)
					default:
						t.Fatalf("Resolve %d: state %v", i, res.State)
					}
				}
				switch {
				case namesOrder:
					assert.Equal(t, workers, created, "every Resolve reads the one order")
				case name == "dropped before acting":
					assert.Equal(t, 1, created, "one Resolve placed it; the others were refused")
				default:
					assert.Equal(t, 0, created, "the lost Place made it; every Resolve was refused")
				}
			})
		}
	}
}
