package inventorum_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const basketPath = "/api/basket/"

// clock is a fake clock that runs with real time from a chosen start and
// can be moved on, as a server's clock would be seen a minute later.
type serverClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func newClock(fake *inventorumtest.Server, start time.Time) *serverClock {
	c := &serverClock{offset: time.Until(start)}
	fake.SetClock(c.now)
	return c
}

func (c *serverClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset).UTC()
}

func (c *serverClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func sampleBasket() *inventorum.BasketRequest {
	return &inventorum.BasketRequest{
		Items: []inventorum.BasketItem{
			{Product: 7890302, Quantity: 2, Price: money.MustParse("15.99"), Name: "Club Mate"},
			{Product: 5977221, Quantity: 1, Price: money.MustParse("4.20")},
		},
		Customer: 494,
	}
}

// checkFound asserts that the resolved order is the basket of req.
// lookupErr returns the lookup's error of a Create whose ResolveOutcome
// lookup failed: the lost create's LookupErr, which errors.Is does not
// reach from the returned error.
func lookupErr(t *testing.T, err error) error {
	t.Helper()
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	require.Error(t, lost.LookupErr)
	return lost.LookupErr
}

func checkFound(t *testing.T, o *inventorum.Order, req *inventorum.BasketRequest) {
	t.Helper()
	require.NotNil(t, o)
	assert.Equal(t, orderstate.Pending, o.State)
	require.NotNil(t, o.Customer)
	assert.Equal(t, req.Customer, o.Customer.ID)
	require.Len(t, o.Basket.Items, len(req.Items))
	for i, it := range req.Items {
		assert.Equal(t, it.Product, o.Basket.Items[i].Product)
		assert.Equal(t, it.Quantity, o.Basket.Items[i].Quantity)
		assert.True(t, it.Price.Equal(o.Basket.Items[i].Price), "price %s", o.Basket.Items[i].Price)
	}
}

func TestCreateResolvesLostAnswer(t *testing.T) {
	cases := []struct {
		name  string
		fault func(*inventorumtest.Server)
	}{
		{"dropped after acting", (*inventorumtest.Server).DropNextAfterActing},
		{"5xx after acting", func(f *inventorumtest.Server) {
			f.FailNextAfterActing(http.StatusBadGateway, "<html>bad gateway</html>")
		}},
		{"truncated 2xx", (*inventorumtest.Server).TruncateNextAfterActing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, c := newFake(t)
			ctx := context.Background()
			fake.GenerateOrders(30, time.Now().Add(-time.Hour), time.Minute)
			tc.fault(fake)
			req := sampleBasket()
			res, err := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1"), orderkit.ResolveOutcome())
			require.NoError(t, err)
			assert.Equal(t, 1, fake.Count("POST", basketPath), "exactly one POST")
			assert.Equal(t, 7, fake.Count("GET", "/api/orders/delta/"), "one lookup per channel")
			require.NotNil(t, res)
			checkFound(t, res.Order, req)
			assert.Equal(t, res.Order.ID, res.ID)
			assert.Equal(t, inventorum.ID(494), res.Customer)
			assert.Equal(t, orderstate.Pending, res.State)
			stored, ok := fake.Order(res.ID)
			require.True(t, ok)
			assert.Equal(t, stored.TimeAdded, res.Order.TimeAdded)
			assert.Equal(t, 31, fake.Len(), "one basket made")
		})
	}
}

func TestResolveAfterLostAnswer(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	fake.DropNextAfterActing()
	req := sampleBasket()
	_, err := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1"))
	require.Error(t, err)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.Same(t, req, lost.Request, "the request Create was given")
	assert.Equal(t, "inventorum", lost.API)
	assert.False(t, lost.SentAt.IsZero())
	assert.False(t, lost.EndedAt.Before(lost.SentAt))
	assert.True(t, lost.ServerDate.IsZero(), "no answer, no Date")
	var pe *orderkit.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.MethodPost, pe.Method)

	res, err := c.Basket.Resolve(ctx, err)
	require.NoError(t, err)
	assert.Equal(t, orderkit.Created, res.State)
	assert.NoError(t, res.Err())
	assert.Equal(t, 7, res.Lookups)
	checkFound(t, res.Order, req)
	var cause *orderkit.LostCreateError
	require.ErrorAs(t, res.Cause, &cause)
	assert.Equal(t, lost.SentAt, cause.SentAt)
	assert.Equal(t, 1, fake.Count("POST", basketPath))
}

// addPendingBasket adds another customer's basket, PENDING, at: a feed
// that shows it shows new baskets, and only then can a lookup that finds
// nothing report NotCreated.
func addPendingBasket(fake *inventorumtest.Server, at time.Time) {
	fake.AddOrder(inventorum.Order{State: orderstate.Pending, Channel: inventorum.ChannelBackoffice, TimeAdded: at, CompletedAt: at,
		Customer: &inventorum.Customer{ID: 999}, Basket: inventorum.Basket{Items: []inventorum.Item{{Product: 1, Quantity: 1}}}})
}

// Finding nothing, a lookup reports NotCreated only when the feed showed
// a PENDING order (it shows new baskets) and an answer told the server's
// clock; otherwise Ambiguous.
func TestResolveNotCreatedNeedsEvidence(t *testing.T) {
	for name, tc := range map[string]struct {
		pending, hide, date bool
		want                orderkit.ResolutionState
	}{
		"evidence":         {true, false, true, orderkit.NotCreated},
		"no pending order": {false, false, true, orderkit.Ambiguous},
		"pending hidden":   {true, true, true, orderkit.Ambiguous},
		"no Date header":   {true, false, false, orderkit.Ambiguous},
	} {
		t.Run(name, func(t *testing.T) {
			fake, c := newFake(t)
			clk := newClock(fake, time.Now().Add(5*time.Minute))
			fake.SetHidePending(tc.hide)
			fake.SetDateHeader(tc.date)
			if tc.pending {
				addPendingBasket(fake, clk.now())
			}
			fake.DropNextBeforeActing()
			_, err := c.Basket.Create(context.Background(), sampleBasket())
			require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
			res, err := c.Basket.Resolve(context.Background(), err)
			require.NoError(t, err)
			assert.Equal(t, tc.want, res.State)
			assert.False(t, res.SafeToResend)
		})
	}
}

func TestResolveNotCreated(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	clk := newClock(fake, time.Now())
	fake.GenerateOrders(10, time.Now().Add(-time.Hour), time.Minute)
	addPendingBasket(fake, clk.now())
	fake.DropNextBeforeActing()
	_, err := c.Basket.Create(ctx, sampleBasket(), orderkit.ResolveOutcome())
	require.Error(t, err)
	assert.ErrorIs(t, err, orderkit.ErrNotCreated)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the outcome is known")
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, orderkit.NotCreated, oe.State)
	assert.False(t, oe.SafeToResend, "looked up at once: the request might still arrive")
	assert.WithinDuration(t, clk.now(), oe.AsOf, 3*time.Second)
	assert.Equal(t, 7, oe.Lookups)
	assert.Equal(t, 11, fake.Len())
	assert.Equal(t, 1, fake.Count("POST", basketPath))

	// A lookup past ResendAfter on the server's clock says it is safe to
	// send again.
	clk.advance(inventorum.ResendAfter + time.Second)
	res, err := c.Basket.Resolve(ctx, err)
	require.NoError(t, err)
	assert.Equal(t, orderkit.NotCreated, res.State)
	assert.True(t, res.SafeToResend)
	assert.WithinDuration(t, clk.now(), res.AsOf, 3*time.Second)
	assert.ErrorIs(t, res.Err(), orderkit.ErrNotCreated)
}

// An identical basket made a minute before the lost one, and paid since
// (so the feed shows it after the send), is not taken for it. Without a
// Reference the lost basket itself is only a candidate: it cannot be told
// from an identical basket made in the seconds before the send. With one,
// it is found.
func TestResolveIgnoresOlderIdenticalBasket(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	clk := newClock(fake, time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC))
	req := sampleBasket()
	older, err := c.Basket.Create(ctx, req)
	require.NoError(t, err)
	clk.advance(time.Minute)
	fake.ModifyOrder(older.ID, clk.now(), func(o *inventorum.Order) { o.State = orderstate.Paid | orderstate.Closed })

	fake.DropNextAfterActing()
	_, err = c.Basket.Create(ctx, req, orderkit.ResolveOutcome())
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, orderkit.Ambiguous, oe.State)
	amb, err := c.Basket.Resolve(ctx, err)
	require.NoError(t, err)
	require.Len(t, amb.Candidates, 1)
	assert.NotEqual(t, older.ID, amb.Candidates[0].ID, "never the older basket")
	checkFound(t, amb.Candidates[0], req)

	fake.DropNextAfterActing()
	res, err := c.Basket.Create(ctx, req, orderkit.Reference("ERP-2"), orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.NotEqual(t, older.ID, res.ID, "never the older basket")
	checkFound(t, res.Order, req)
	assert.Equal(t, 3, fake.Len())
}

// A basket sent again a minute after the lost one does not hide it: the
// lost call's window holds only the first.
func TestResolveIgnoresLaterIdenticalBasket(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	clk := newClock(fake, time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC))
	req := sampleBasket()
	fake.FailNextAfterActing(http.StatusGatewayTimeout, "")
	_, lostErr := c.Basket.Create(ctx, req)
	require.ErrorIs(t, lostErr, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, lostErr, &lost)
	assert.WithinDuration(t, clk.now(), lost.ServerDate, 2*time.Second, "the 504 carried the server's Date")

	clk.advance(time.Minute)
	again, err := c.Basket.Create(ctx, req)
	require.NoError(t, err)

	res, err := c.Basket.Resolve(ctx, lostErr)
	require.NoError(t, err)
	require.Equal(t, orderkit.Ambiguous, res.State, "without a Reference, the lost basket is a candidate")
	require.Len(t, res.Candidates, 2, "the lost basket, and the later one after the call")
	assert.NotEqual(t, again.ID, res.Candidates[0].ID, "the one in the window first")
	checkFound(t, res.Candidates[0], req)
}

func TestResolveAmbiguous(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	req := sampleBasket()
	fake.DropNextAfterActing()
	_, lostErr := c.Basket.Create(ctx, req)
	require.ErrorIs(t, lostErr, orderkit.ErrOutcomeUnknown)
	// Another basket alike, made while the lost call ran (on another
	// till, say).
	made, _ := c.Basket.Create(ctx, req)
	require.NotNil(t, made)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, lostErr, &lost)
	stored, _ := fake.Order(made.ID)
	stored.TimeAdded, stored.CompletedAt = lost.EndedAt, lost.EndedAt
	fake.AddOrder(stored)

	res, err := c.Basket.Resolve(ctx, lostErr)
	require.NoError(t, err)
	assert.Equal(t, orderkit.Ambiguous, res.State)
	require.Len(t, res.Candidates, 2)
	assert.Nil(t, res.Order)
	err = res.Err()
	assert.ErrorIs(t, err, orderkit.ErrAmbiguous)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)

	// The automatic lookup says the same, and Resolve takes its error.
	fake.DropNextAfterActing()
	_, err = c.Basket.Create(ctx, req, orderkit.ResolveOutcome())
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, orderkit.Ambiguous, oe.State)
	res, rerr := c.Basket.Resolve(ctx, err)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.Ambiguous, res.State)
}

func TestResolveByReference(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	req := sampleBasket()
	// Identical baskets, told apart by their references only.
	first, err := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1001"))
	require.NoError(t, err)
	stored, _ := fake.Order(first.ID)
	require.NotNil(t, stored.Basket.NoteInternal)
	assert.Equal(t, "ERP-1001", *stored.Basket.NoteInternal)

	fake.DropNextAfterActing()
	res, err := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1002"), orderkit.ResolveOutcome())
	require.NoError(t, err)
	require.NotNil(t, res.Order)
	require.NotNil(t, res.Order.Basket.NoteInternal)
	assert.Equal(t, "ERP-1002", *res.Order.Basket.NoteInternal)
	assert.NotEqual(t, first.ID, res.ID)

	// A reference nobody used: not created.
	fake.DropNextBeforeActing()
	_, err = c.Basket.Create(ctx, req, orderkit.Reference("ERP-1003"), orderkit.ResolveOutcome())
	assert.ErrorIs(t, err, orderkit.ErrNotCreated)

	// The reference is note_internal: a different note is refused.
	withNote := req
	withNote.NoteInternal = "call back"
	_, err = c.Basket.Create(ctx, withNote, orderkit.Reference("ERP-1004"))
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Basket.Create(ctx, req, orderkit.Reference(" "))
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 3, fake.Count("POST", basketPath))
}

func TestResolveLookupFails(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	fake.DropNextAfterActing()
	fake.FailNext(http.StatusForbidden, `{"detail": "You do not have permission to perform this action."}`)
	_, err := c.Basket.Create(ctx, sampleBasket(), orderkit.Reference("ERP-1"), orderkit.ResolveOutcome())
	require.Error(t, err)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "still unknown")
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.ErrorIs(t, lookupErr(t, err), orderkit.ErrForbidden)
	assert.NotErrorIs(t, err, orderkit.ErrForbidden, "a switch on the sentinels sees the unknown outcome, not the lookup's 403")
	assert.NotErrorIs(t, lost, orderkit.ErrForbidden, "the lost create was not refused")
	assert.Contains(t, err.Error(), "lookup failed")

	// Later, the lookup works.
	res, rerr := c.Basket.Resolve(ctx, err)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.Created, res.State)
}

func TestResolveRefusesOtherErrors(t *testing.T) {
	_, c := newFake(t)
	for _, err := range []error{nil, errors.New("boom"), &orderkit.OutcomeError{State: orderkit.NotCreated}} {
		_, rerr := c.Basket.Resolve(context.Background(), err)
		assert.ErrorIs(t, rerr, orderkit.ErrInvalidArgument, "%v", err)
	}
	for _, lost := range []*orderkit.LostCreateError{
		{}, {API: "inventorum"}, {API: "inventorum", Request: inventorum.BasketRequest{}},
		{API: "inventorum", Request: (*inventorum.BasketRequest)(nil)}, {API: "attivita", Request: sampleBasket()},
	} {
		_, rerr := c.Basket.Resolve(context.Background(), lost)
		assert.ErrorIs(t, rerr, orderkit.ErrInvalidArgument, "%+v", lost)
	}
	_, rerr := c.Basket.Resolve(context.Background(), &orderkit.LostCreateError{API: "inventorum", Request: sampleBasket()}, orderkit.CallOption{})
	assert.ErrorIs(t, rerr, orderkit.ErrInvalidArgument, "zero call option")
	_, rerr = c.Basket.Resolve(context.Background(), &orderkit.LostCreateError{API: "inventorum", Request: sampleBasket()}, orderkit.ResolveOutcome())
	assert.ErrorIs(t, rerr, orderkit.ErrInvalidArgument, "Resolve takes no ResolveOutcome")
}

func TestCreateContextDoneBeforeSending(t *testing.T) {
	fake, c := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Basket.Create(ctx, sampleBasket(), orderkit.ResolveOutcome())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	assert.False(t, errors.As(err, &lost))
	assert.Equal(t, 0, fake.Count("POST", basketPath))
	assert.Equal(t, 0, fake.Count("GET", "/api/orders/delta/"))
}

// A deadline that ends while the basket is in flight leaves the outcome
// unknown and no time for the lookup. The server acts late, after the
// client gave up; Resolve with a live context finds the order.
func TestCreateDeadlineDuringPost(t *testing.T) {
	fake, c := newFake(t)
	fake.DelayNext(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := sampleBasket()
	_, err := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1"), orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.ErrorIs(t, lookupErr(t, err), context.DeadlineExceeded)
	assert.Equal(t, 0, fake.Count("GET", "/api/orders/delta/"))

	require.Eventually(t, func() bool { return fake.Len() == 1 }, 10*time.Second, 10*time.Millisecond, "the server acts late")
	res, rerr := c.Basket.Resolve(context.Background(), err)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.Created, res.State)
	checkFound(t, res.Order, req)
	assert.Equal(t, 1, fake.Count("POST", basketPath))
}

// An identical basket made three seconds before the lost one was sent (by
// another till, say) lies in the slack the server's clock is read with:
// it is as likely the earlier basket as this one, so the lookup reports
// both as ambiguous and never takes the earlier one for this one.
func TestResolveIdenticalBasketJustBeforeTheSendIsAmbiguous(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	clk := newClock(fake, time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC))
	req := sampleBasket()
	earlier, err := c.Basket.Create(ctx, req)
	require.NoError(t, err)
	clk.advance(3 * time.Second)

	fake.DropNextBeforeActing()
	_, lostErr := c.Basket.Create(ctx, req)
	require.ErrorIs(t, lostErr, orderkit.ErrOutcomeUnknown)
	res, err := c.Basket.Resolve(ctx, lostErr)
	require.NoError(t, err)
	assert.Equal(t, orderkit.Ambiguous, res.State, "never Created with the earlier basket")
	require.Len(t, res.Candidates, 1)
	assert.Equal(t, earlier.ID, res.Candidates[0].ID)
	assert.ErrorIs(t, res.Err(), orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, fake.Len(), "the lost basket was never made")
}
