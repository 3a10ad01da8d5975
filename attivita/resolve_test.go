package attivita_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
)

var officeTwo = []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 2}}

// skewClock is the fake's clock: the real time moved by an offset that a
// test may change.
type skewClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *skewClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *skewClock) set(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off = d
}

// settle moves c's clock SettleTime (and a second) further ahead, as if
// what follows ran that much later: a lookup then may say NotCreated.
func settle(c *attivita.Client) {
	v, _ := clockOffsets.LoadOrStore(c, new(atomic.Int64))
	off := v.(*atomic.Int64)
	off.Add(int64(attivita.SettleTime + time.Second))
	attivita.SetClientClock(c, func() time.Time { return time.Now().Add(time.Duration(off.Load())) })
}

var clockOffsets sync.Map // *attivita.Client → *atomic.Int64

// requireNotCreatedOnceSettled checks a lookup made at once
// (ResolveOutcome) that found nothing: too soon to tell (Ambiguous, no
// candidates); resolved again SettleTime later, NotCreated and safe to
// send again.
func requireNotCreatedOnceSettled[T any](t *testing.T, c *attivita.Client, err error, resolve func(error) (orderkit.Resolution[T], error)) {
	t.Helper()
	require.ErrorIs(t, err, orderkit.ErrAmbiguous, "too soon to tell")
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 0, oe.Candidates)
	settle(c)
	r, rerr := resolve(err)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.NotCreated, r.State)
	assert.True(t, r.SafeToResend)
}

// newClientOn returns another client on the same fake server.
func newClientOn(t *testing.T, c *attivita.Client, opts ...orderkit.Option) *attivita.Client {
	t.Helper()
	o, err := attivita.NewClient(attivitatest.DefaultToken, append([]orderkit.Option{orderkit.WithBaseURL(c.BaseURL()), orderkit.WithRetry(1, 0, 0)}, opts...)...)
	require.NoError(t, err)
	return o
}

// lostCreate places officeTwo with the next answer lost as fault says,
// and returns the error, which must be a lost create.
func lostCreate(t *testing.T, c *attivita.Client, opts ...orderkit.CallOption) error {
	t.Helper()
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, opts...)
	require.Error(t, err)
	require.Nil(t, o)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, officeTwo, lost.Request.(*attivita.OrderRequest).Products)
	assert.False(t, lost.SentAt.IsZero())
	assert.False(t, lost.EndedAt.Before(lost.SentAt))
	var e *orderkit.Error
	require.ErrorAs(t, err, &e, "the pipeline's error stays reachable")
	assert.Equal(t, "POST", e.Method)
	return err
}

func requireCreated(t *testing.T, r orderkit.Resolution[*attivita.Order], number attivita.OrderNumber, keys ...string) {
	t.Helper()
	require.Equal(t, orderkit.Created, r.State, "state %v", r.State)
	require.NotNil(t, r.Order)
	assert.Equal(t, number, r.Order.OrderNumber)
	assert.Equal(t, keys, r.Order.Keys())
	assert.Equal(t, 1, r.Lookups)
	assert.NoError(t, r.Err())
	assert.Empty(t, r.Candidates)
}

func TestResolveOrderDroppedAfterActing(t *testing.T) {
	c, fake := onFake(t)
	fake.DropNextAfterActing()
	err := lostCreate(t, c)
	assert.Equal(t, 1, fake.OrderCount(), "the fake acted")

	r, rerr := c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")
	assert.Equal(t, attivita.OrderCompleted, r.Order.Status)
	assert.False(t, r.Order.Sandbox)
	assert.Equal(t, "Microsoft Office 2021 Home & Business", r.Order.Items[0].ProductName)
	assert.Same(t, err.(*orderkit.LostCreateError), r.Cause)
	assert.Equal(t, 1, fake.Count("POST", "/api/orders"), "never a second POST")
	assert.Equal(t, 1, fake.Count("GET", "/api/orders"), "one lookup")
}

func TestResolveOutcomeOptionDroppedAfterActing(t *testing.T) {
	c, fake := onFake(t)
	fake.DropNextAfterActing()
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Equal(t, attivita.OrderNumber(1001), o.OrderNumber)
	assert.Equal(t, []string{"OFFC-0000-0000-0001", "OFFC-0000-0000-0002"}, o.Keys())
	assert.Equal(t, 1, fake.Count("POST", "/api/orders"))
	assert.Equal(t, 1, fake.Count("GET", "/api/orders"))
}

func TestResolveOrderDroppedBeforeActing(t *testing.T) {
	c, fake := onFake(t)
	fake.DropNextBeforeActing()
	err := lostCreate(t, c)
	assert.Equal(t, 0, fake.OrderCount())

	r, rerr := c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.Ambiguous, r.State, "too soon after the lost call to tell")
	assert.Empty(t, r.Candidates)
	assert.ErrorIs(t, r.Err(), orderkit.ErrOutcomeUnknown)
	settle(c)
	r, rerr = c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.NotCreated, r.State)
	assert.Nil(t, r.Order)
	assert.WithinDuration(t, time.Now(), r.AsOf, 3*time.Second, "the server's time of the lookup")
	assert.True(t, r.SafeToResend, "SettleTime after the lost call")
	assert.Equal(t, 1, r.Lookups)
	rErr := r.Err()
	require.ErrorIs(t, rErr, orderkit.ErrNotCreated)
	assert.NotErrorIs(t, rErr, orderkit.ErrOutcomeUnknown, "the outcome is known")
	assert.Equal(t, 1, fake.Count("POST", "/api/orders"))

	// With ResolveOutcome the call looks at once, too soon to tell; its
	// error is resolved again later.
	fake.DropNextBeforeActing()
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.Nil(t, o)
	requireNotCreatedOnceSettled(t, c, err, func(err error) (orderkit.Resolution[*attivita.Order], error) { return c.Orders.Resolve(ctx, err) })
	assert.Equal(t, 0, fake.OrderCount())
}

func TestResolveNotCreatedSafeToResendAfterSettleTime(t *testing.T) {
	c, _ := onFake(t)
	long := time.Now().Add(-attivita.SettleTime - time.Minute)
	lost := &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: long, EndedAt: long.Add(time.Second)}
	r, err := c.Orders.Resolve(ctx, lost)
	require.NoError(t, err)
	assert.Equal(t, orderkit.NotCreated, r.State)
	assert.True(t, r.SafeToResend)
}

func TestResolveOrder5xxAfterActing(t *testing.T) {
	c, fake := onFake(t)
	clock := &skewClock{off: 37 * time.Minute} // the server's clock is 37 minutes ahead
	fake.SetClock(clock.now)
	fake.FailNextAfterActing(http.StatusBadGateway, `<html>Bad gateway</html>`)
	err := lostCreate(t, c)
	require.ErrorIs(t, err, orderkit.ErrServer)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.WithinDuration(t, time.Now().Add(37*time.Minute), lost.ServerDate, 3*time.Second, "the 502's Date header")

	r, rerr := c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")
	assert.Equal(t, 1, fake.Count("POST", "/api/orders"))
}

func TestResolveOrderTruncatedAnswer(t *testing.T) {
	c, fake := onFake(t)
	fake.TruncateNextAfterActing()
	err := lostCreate(t, c)
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
	r, rerr := c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")
	assert.Equal(t, 1, fake.Count("POST", "/api/orders"))
}

func TestResolveOrderWithSkewedServerClock(t *testing.T) {
	// No answer to the lost call: the skew comes from the lookup's own
	// Date header.
	c, fake := onFake(t)
	fake.SetClock((&skewClock{off: -3 * time.Hour}).now)
	fake.DropNextAfterActing()
	r, err := c.Orders.Resolve(ctx, lostCreate(t, c))
	require.NoError(t, err)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")
}

// Two identical orders a minute apart: the older one, placed by another
// client, must not pass for the lost one.
func TestResolveOrderNeverTakesAnOlderIdenticalOrder(t *testing.T) {
	c, fake := onFake(t)
	clock := &skewClock{off: -time.Minute}
	fake.SetClock(clock.now)
	other := newClientOn(t, c)
	older, err := other.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
	require.NoError(t, err)
	clock.set(0) // a minute later on the server's clock

	fake.DropNextAfterActing()
	r, rerr := c.Orders.Resolve(ctx, lostCreate(t, c))
	require.NoError(t, rerr)
	requireCreated(t, r, older.OrderNumber+1, "OFFC-0000-0000-0003", "OFFC-0000-0000-0004")
}

// The same client saw the older order's answer: it knows the server's
// clock moved, so it spans both readings and says ambiguous — never the
// older order.
func TestResolveOrderSpansAStepOfTheServerClock(t *testing.T) {
	c, fake := onFake(t)
	clock := &skewClock{off: -time.Minute}
	fake.SetClock(clock.now)
	again, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
	require.NoError(t, err)
	clock.set(0)
	fake.DropNextAfterActing()
	r, rerr := c.Orders.Resolve(ctx, lostCreate(t, c))
	require.NoError(t, rerr)
	if r.State == orderkit.Created {
		assert.NotEqual(t, again.OrderNumber, r.Order.OrderNumber, "never the older order")
	} else {
		require.Equal(t, orderkit.Ambiguous, r.State)
		numbers := []attivita.OrderNumber{}
		for _, o := range r.Candidates {
			numbers = append(numbers, o.OrderNumber)
		}
		assert.ElementsMatch(t, []attivita.OrderNumber{again.OrderNumber, again.OrderNumber + 1}, numbers)
		require.ErrorIs(t, r.Err(), orderkit.ErrAmbiguous)
		require.ErrorIs(t, r.Err(), orderkit.ErrOutcomeUnknown)
	}
}

// The lost order is the older one; an identical order placed a minute
// later (on the server's clock) must not pass for it.
func TestResolveOrderNeverTakesALaterIdenticalOrder(t *testing.T) {
	c, fake := onFake(t)
	clock := &skewClock{off: -time.Minute}
	fake.SetClock(clock.now)
	_, err := c.Products.List(ctx, nil) // an answer that shows the server's clock
	require.NoError(t, err)
	fake.DropNextAfterActing()
	lost := lostCreate(t, c)
	clock.set(0)
	later, err := newClientOn(t, c).Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
	require.NoError(t, err)

	r, rerr := c.Orders.Resolve(ctx, lost)
	require.NoError(t, rerr)
	if r.State == orderkit.Created {
		assert.Equal(t, attivita.OrderNumber(1001), r.Order.OrderNumber)
	} else {
		require.Equal(t, orderkit.Ambiguous, r.State, "never the later order")
		require.Len(t, r.Candidates, 2)
	}
	assert.NotEqual(t, orderkit.NotCreated, r.State)
	_ = later
}

// Another client's identical order in the same seconds: Ambiguous.
func TestResolveOrderAmbiguousWithinTheWindow(t *testing.T) {
	c, fake := onFake(t)
	first, err := newClientOn(t, c).Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
	require.NoError(t, err)
	fake.DropNextAfterActing()
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.Nil(t, o)
	require.ErrorIs(t, err, orderkit.ErrAmbiguous)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 2, oe.Candidates)

	r, rerr := c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.Ambiguous, r.State)
	require.Len(t, r.Candidates, 2)
	assert.ElementsMatch(t, []attivita.OrderNumber{first.OrderNumber, first.OrderNumber + 1},
		[]attivita.OrderNumber{r.Candidates[0].OrderNumber, r.Candidates[1].OrderNumber})
	assert.Nil(t, r.Order)
}

// The same client's identical order a moment earlier, whose answer it
// received, is never taken for the lost one: not when the lost create was
// not carried out (its keys would be handed out twice, the purchase never
// made), nor when it was.
func TestResolveOrderNeverTakesTheClientsOwnEarlierOrder(t *testing.T) {
	c, fake := onFake(t)
	first, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
	require.NoError(t, err)

	fake.DropNextBeforeActing()
	lost := lostCreate(t, c)
	settle(c)
	r, rerr := c.Orders.Resolve(ctx, lost)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.NotCreated, r.State, "order %d is the earlier create's", first.OrderNumber)
	fake.DropNextBeforeActing()
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	requireNotCreatedOnceSettled(t, c, err, func(err error) (orderkit.Resolution[*attivita.Order], error) { return c.Orders.Resolve(ctx, err) })

	fake.DropNextAfterActing()
	lost = lostCreate(t, c)
	r, rerr = c.Orders.Resolve(ctx, lost)
	require.NoError(t, rerr)
	requireCreated(t, r, first.OrderNumber+1, "OFFC-0000-0000-0003", "OFFC-0000-0000-0004")
	// Resolving the same error again finds the same order.
	r, rerr = c.Orders.Resolve(ctx, lost)
	require.NoError(t, rerr)
	requireCreated(t, r, first.OrderNumber+1, "OFFC-0000-0000-0003", "OFFC-0000-0000-0004")

	// So does a LostCreateError rebuilt from the fields a caller stored
	// (without the client's Evidence).
	var l *orderkit.LostCreateError
	require.ErrorAs(t, lost, &l)
	rebuilt := &orderkit.LostCreateError{API: l.API, Request: &attivita.OrderRequest{Products: officeTwo},
		SentAt: l.SentAt.Round(0), EndedAt: l.EndedAt.Round(0), ServerDate: l.ServerDate}
	r, rerr = c.Orders.Resolve(ctx, rebuilt)
	require.NoError(t, rerr)
	requireCreated(t, r, first.OrderNumber+1, "OFFC-0000-0000-0003", "OFFC-0000-0000-0004")

	// A lost create, not carried out, after a ResolveOutcome that found its
	// order: that order is the earlier call's. (Other products, as the
	// order Resolve found above is not the client's to rule out.)
	officeOne := []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}
	fake.DropNextAfterActing()
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeOne}, orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Equal(t, first.OrderNumber+2, o.OrderNumber)
	fake.DropNextBeforeActing()
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeOne}, orderkit.ResolveOutcome())
	requireNotCreatedOnceSettled(t, c, err, func(err error) (orderkit.Resolution[*attivita.Order], error) { return c.Orders.Resolve(ctx, err) })
	assert.Equal(t, 3, fake.OrderCount())
}

// The same for webhooks: a subscription this client created and got the
// answer for is not the lost one.
func TestResolveWebhookNeverTakesTheClientsOwnEarlierWebhook(t *testing.T) {
	for _, dated := range []bool{true, false} {
		c, fake := onFake(t)
		fake.SetWebhookDates(dated)
		params := &attivita.WebhookParams{URL: "https://example.com/hook", Events: attivita.WebhookEvents{ProductOutOfStock: true}}
		_, err := c.Webhooks.Create(ctx, params)
		require.NoError(t, err)
		fake.DropNextBeforeActing()
		_, err = c.Webhooks.Create(ctx, params, orderkit.ResolveOutcome())
		requireNotCreatedOnceSettled(t, c, err, func(err error) (orderkit.Resolution[*attivita.Webhook], error) { return c.Webhooks.Resolve(ctx, err) })
	}
}

func TestResolveOrderMatchesProductsAndAmounts(t *testing.T) {
	c, fake := onFake(t)
	// Another order in the same seconds, with other amounts, is no
	// candidate.
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
	require.NoError(t, err)
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 2}, {ProductID: attivitatest.DemoAntivirusID, Amount: 1}}})
	require.NoError(t, err)
	fake.DropNextAfterActing()
	r, rerr := c.Orders.Resolve(ctx, lostCreate(t, c))
	require.NoError(t, rerr)
	requireCreated(t, r, 1003, "OFFC-0000-0000-0004", "OFFC-0000-0000-0005")

	// Lines of one product are added up: two lines of one unit match one
	// line of two.
	fake.DropNextAfterActing()
	split := []attivita.OrderProduct{{ProductID: attivitatest.DemoAntivirusID, Amount: 1}, {ProductID: attivitatest.DemoAntivirusID, Amount: 1}}
	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: split})
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	r, rerr = c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.Created, r.State)
	assert.Equal(t, attivita.OrderNumber(1004), r.Order.OrderNumber)
}

// A lost sandbox create, under every reading of the sandbox the fake has:
// sandbox orders listed marked, unmarked or not at all, sandbox lists with
// or without the live orders. A live order with the same products in the
// same seconds is never taken for it, and an order that exists is never
// NotCreated.
func TestResolveSandboxOrder(t *testing.T) {
	for _, listing := range []attivitatest.SandboxListing{attivitatest.SandboxMarked, attivitatest.SandboxUnmarked, attivitatest.SandboxUnlisted} {
		for _, listsLive := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v,listsLive=%v", listing, listsLive), func(t *testing.T) {
				c, fake := onFake(t, attivita.WithSandbox())
				fake.SetSandboxListsLive(listsLive)
				fake.SetSandboxListing(listing)
				// A live order with the same products, in the same seconds.
				live, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, attivita.Sandbox(false))
				require.NoError(t, err)
				require.False(t, live.Sandbox)

				fake.DropNextAfterActing()
				err = lostCreate(t, c)
				var lost *orderkit.LostCreateError
				require.ErrorAs(t, err, &lost)
				assert.Equal(t, 1, fake.SandboxOrderCount(), "the fake stores sandbox orders")

				r, rerr := c.Orders.Resolve(ctx, err)
				require.NoError(t, rerr)
				assert.Equal(t, 1, fake.OrderCount(), "no live order was placed by the lost call")
				gets := 0
				for _, q := range fake.Requests() {
					if q.Method == "GET" {
						gets++
						if gets == 1 {
							assert.True(t, q.Sandbox, "the lookup is made in the lost call's mode")
						}
					}
				}
				assert.Equal(t, gets, r.Lookups)
				switch {
				case listing == attivitatest.SandboxUnlisted:
					// The order exists and no list shows it: never
					// NotCreated. Listed live, the live order is a candidate.
					require.Equal(t, orderkit.Ambiguous, r.State)
					assert.Empty(t, r.Candidates, "the live order is this client's own")
					return
				case listing == attivitatest.SandboxUnmarked && listsLive:
					// The list marks nothing: the live list tells the live
					// order from the sandbox's.
					assert.Equal(t, 2, gets)
				case listing == attivitatest.SandboxUnmarked:
					assert.Equal(t, 2, gets)
				default:
					assert.Equal(t, 1, gets, "marked: one list is enough")
				}
				require.Equal(t, orderkit.Created, r.State, "%+v", r.Candidates)
				assert.Equal(t, attivita.OrderNumber(900001), r.Order.OrderNumber)
				assert.True(t, r.Order.Sandbox)
				assert.Equal(t, []string{"SAND-BOX1-TEST-KEY1", "SAND-BOX1-TEST-KEY2"}, r.Order.Keys())
			})
		}
	}
}

func TestResolveLiveOrderIgnoresSandboxOrders(t *testing.T) {
	c, fake := onFake(t)
	fake.SetSandboxListsLive(true)
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, attivita.Sandbox(true))
	require.NoError(t, err)
	fake.DropNextBeforeActing()
	lost := lostCreate(t, c)
	settle(c)
	r, rerr := c.Orders.Resolve(ctx, lost)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.NotCreated, r.State, "a sandbox order is no live order")
}

func TestResolveLookupFails(t *testing.T) {
	c, fake := onFake(t)
	fake.DropNextAfterActing()
	fake.FailNext(http.StatusInternalServerError, `{"error":"down"}`)
	fake.FailNext(http.StatusInternalServerError, `{"error":"down"}`)
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.Nil(t, o)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "still unknown")
	require.NotErrorIs(t, err, orderkit.ErrServer, "the lookup's failure is not the create's answer")
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost, "and can be resolved later")
	require.ErrorIs(t, lost.LookupErr, orderkit.ErrServer, "the lookup's failure is told")
	r, rerr := c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")
}

func TestResolveRefusesOtherErrors(t *testing.T) {
	c, fake := onFake(t)
	for _, err := range []error{nil, errors.New("x"), &orderkit.Error{Kinds: []error{orderkit.ErrOutcomeUnknown}},
		&orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}}, // no SentAt
		&orderkit.LostCreateError{}, &orderkit.LostCreateError{API: "inventorum", Request: "basket", SentAt: time.Now()},
		&orderkit.LostCreateError{API: "attivita", Request: (*attivita.OrderRequest)(nil), SentAt: time.Now()}} {
		_, rerr := c.Orders.Resolve(ctx, err)
		require.ErrorIs(t, rerr, orderkit.ErrInvalidArgument)
		_, rerr = c.Webhooks.Resolve(ctx, err)
		require.ErrorIs(t, rerr, orderkit.ErrInvalidArgument)
	}
	assert.Empty(t, fake.Requests(), "nothing was sent")
}

func TestCreateContextDoneBeforeSending(t *testing.T) {
	c, fake := onFake(t)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := c.Orders.Create(cctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	assert.False(t, errors.As(err, &lost))
	assert.Empty(t, fake.Requests(), "the fake received no request")
}

func TestResolveWebhook(t *testing.T) {
	c, fake := onFake(t)
	params := &attivita.WebhookParams{URL: "https://example.com/hook", Events: attivita.WebhookEvents{ProductOutOfStock: true}}
	clock := &skewClock{off: -time.Hour}
	fake.SetClock(clock.now)
	// The same subscription an hour earlier, by another client.
	_, err := newClientOn(t, c).Webhooks.Create(ctx, params)
	require.NoError(t, err)
	// Another subscription in the same seconds.
	clock.set(0)
	_, err = newClientOn(t, c).Webhooks.Create(ctx, &attivita.WebhookParams{URL: params.URL, Events: attivita.WebhookEvents{ProductBackInStock: true}})
	require.NoError(t, err)

	fake.DropNextAfterActing()
	_, err = c.Webhooks.Create(ctx, params)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.Same(t, params, lost.Request)
	r, rerr := c.Webhooks.Resolve(ctx, err)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.Created, r.State)
	assert.Equal(t, params.URL, r.Order.URL)
	assert.Equal(t, params.Events, r.Order.Events)
	assert.WithinDuration(t, time.Now(), r.Order.CreatedAt, 3*time.Second, "the new one, not the one an hour old")
	assert.Equal(t, 1, r.Lookups)
	assert.Equal(t, 3, fake.Count("POST", "/api/webhooks"))

	// With ResolveOutcome: the webhook, without the secret only the lost
	// answer held.
	params.URL = "https://example.com/other"
	fake.DropNextAfterActing()
	h, err := c.Webhooks.Create(ctx, params, orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Equal(t, params.URL, h.Webhook.URL)
	assert.Empty(t, h.Secret.Reveal())

	fake.DropNextBeforeActing()
	params.URL = "https://example.com/third"
	_, err = c.Webhooks.Create(ctx, params, orderkit.ResolveOutcome())
	requireNotCreatedOnceSettled(t, c, err, func(err error) (orderkit.Resolution[*attivita.Webhook], error) { return c.Webhooks.Resolve(ctx, err) })
}

// Under the reading where webhooks are listed without a date, the lookup
// cannot tell a lost subscription from an older identical one: it says
// Ambiguous, never Created, and NotCreated only when none matches.
func TestResolveWebhookWithoutDates(t *testing.T) {
	c, fake := onFake(t)
	fake.SetWebhookDates(false)
	params := &attivita.WebhookParams{URL: "https://example.com/hook", Events: attivita.WebhookEvents{ProductOutOfStock: true}}
	// The same subscription, made earlier by another client.
	_, err := newClientOn(t, c).Webhooks.Create(ctx, params)
	require.NoError(t, err)
	l, err := c.Webhooks.List(ctx)
	require.NoError(t, err)
	require.Len(t, l.Webhooks, 1)
	assert.True(t, l.Webhooks[0].CreatedAt.IsZero(), "the fake lists no date")

	// The lost create was not carried out: the only match is the old one.
	fake.DropNextBeforeActing()
	_, err = c.Webhooks.Create(ctx, params, orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrAmbiguous)
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Candidates)

	// Carried out: two match.
	fake.DropNextAfterActing()
	_, err = c.Webhooks.Create(ctx, params)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	r, rerr := c.Webhooks.Resolve(ctx, err)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.Ambiguous, r.State)
	assert.Len(t, r.Candidates, 2)

	// Another url: none matches.
	fake.DropNextBeforeActing()
	_, err = c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://example.com/other", Events: params.Events}, orderkit.ResolveOutcome())
	requireNotCreatedOnceSettled(t, c, err, func(err error) (orderkit.Resolution[*attivita.Webhook], error) { return c.Webhooks.Resolve(ctx, err) })
	assert.Equal(t, 4, fake.Count("POST", "/api/webhooks"), "never a second POST")
}

// The fake on a transport in memory drops and truncates answers too.
func TestResolveOverInMemoryTransport(t *testing.T) {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	c, err := attivita.NewClient(attivitatest.DefaultToken,
		orderkit.WithBaseURL("http://127.0.0.1/api"),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
	require.NoError(t, err)
	fake.DropNextAfterActing()
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Equal(t, attivita.OrderNumber(1001), o.OrderNumber)
	fake.TruncateNextAfterActing()
	o, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoBundleID, Amount: 1}}}, orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Equal(t, attivita.OrderNumber(1002), o.OrderNumber)
	assert.True(t, o.Items[0].IsBundle())
	assert.Equal(t, 2, fake.Count("POST", "/api/orders"))
}

// undatedServer answers the order and webhook lists with one entry that
// matches the lost call but carries no date, as an API may list them.
func undatedServer(t *testing.T) *attivita.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/orders":
			_, _ = io.WriteString(w, `[{"orderNumber":7,"status":"completed","items":[{"product":{"displayName":"Office","_id":"`+
				attivitatest.DemoOfficeID+`"},"quantity":2,"price":89.99,"licenses":[{"licenseKey":"OLD-KEY"}]}],"subTotal":179.98,"grandTotal":179.98}]`)
		case "/api/webhooks":
			_, _ = io.WriteString(w, `{"webhooks":[{"_id":"w1","url":"https://example.com/hook","events":{"productOutOfStock":true}}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(srv.URL+"/api"), orderkit.WithRetry(1, 0, 0))
	require.NoError(t, err)
	return c
}

// An identical order or webhook listed without a date may be an older
// one: a lone such match is Ambiguous, never Created.
func TestResolveNeverTakesAnUndatedMatch(t *testing.T) {
	c := undatedServer(t)
	now := time.Now()
	r, err := c.Orders.Resolve(ctx, &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: now, EndedAt: now})
	require.NoError(t, err)
	require.Equal(t, orderkit.Ambiguous, r.State)
	require.Len(t, r.Candidates, 1)
	assert.Equal(t, attivita.OrderNumber(7), r.Candidates[0].OrderNumber)
	assert.Nil(t, r.Order)
	require.ErrorIs(t, r.Err(), orderkit.ErrAmbiguous)
	require.ErrorIs(t, r.Err(), orderkit.ErrOutcomeUnknown)

	params := &attivita.WebhookParams{URL: "https://example.com/hook", Events: attivita.WebhookEvents{ProductOutOfStock: true}}
	h, err := c.Webhooks.Resolve(ctx, &orderkit.LostCreateError{API: "attivita", Request: params, SentAt: now, EndedAt: now})
	require.NoError(t, err)
	require.Equal(t, orderkit.Ambiguous, h.State)
	require.Len(t, h.Candidates, 1)
	assert.Equal(t, attivita.ID("w1"), h.Candidates[0].ID)
	assert.Nil(t, h.Order)
}

// A sandbox list that shows live orders beside (or instead of) the
// sandbox's: a live order with the same products in the same seconds is
// never reported as the lost sandbox order.
func TestResolveSandboxNeverTakesALiveOrder(t *testing.T) {
	var sandboxLookups atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/orders" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("X-Sandbox-Mode") == "true" {
			sandboxLookups.Add(1)
			w.Header().Set("X-Sandbox-Mode", "true")
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `[{"orderNumber":1001,"orderDate":"`+time.Now().UTC().Format(time.RFC3339)+
			`","status":"completed","items":[{"product":{"displayName":"Office","_id":"`+attivitatest.DemoOfficeID+
			`"},"quantity":2,"price":89.99,"licenses":[{"licenseKey":"REAL-KEY1"},{"licenseKey":"REAL-KEY2"}]}],"subTotal":179.98,"grandTotal":179.98}]`)
	}))
	t.Cleanup(srv.Close)
	c, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(srv.URL+"/api"), orderkit.WithRetry(1, 0, 0))
	require.NoError(t, err)
	now := time.Now()
	// Rebuilt by the caller, without Evidence: the option names the mode.
	lost := &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: now, EndedAt: now}
	r, err := c.Orders.Resolve(ctx, lost, attivita.Sandbox(true))
	require.NoError(t, err)
	assert.Equal(t, int32(1), sandboxLookups.Load(), "the lookup is made in sandbox mode")
	// The sandbox list marks no order and the live list holds it: it may
	// be live, or the sandbox's listed unmarked. And the list does not
	// show that it lists sandbox orders at all: never NotCreated.
	require.Equal(t, orderkit.Ambiguous, r.State, "a live order is no sandbox order, nor a proof of none")
	require.Len(t, r.Candidates, 1)
	assert.Equal(t, 2, r.Lookups, "the sandbox list, then the live list")
	assert.Nil(t, r.Order)

	// The same list seen by a live lookup: the order is the lost one.
	r, err = c.Orders.Resolve(ctx, lost)
	require.NoError(t, err)
	require.Equal(t, orderkit.Created, r.State)
	assert.Equal(t, attivita.OrderNumber(1001), r.Order.OrderNumber)
	assert.False(t, r.Order.Sandbox)
}

// The lookup lists in the lost call's mode, which the error's Evidence
// holds: a Sandbox option that contradicts it, or a CallHeader that
// would switch the mode behind the client's back, is refused before
// anything is sent, and without them a live order is looked up among the
// live orders (never reported NotCreated from the sandbox's list) and a
// sandbox order among the sandbox's, under every reading of the sandbox
// list the fake has.
func TestResolveLookupIsInTheLostCallsMode(t *testing.T) {
	for _, listsLive := range []bool{false, true} {
		c, fake := onFake(t)
		fake.SetSandboxListsLive(listsLive)
		fake.DropNextAfterActing()
		err := lostCreate(t, c)
		sent := len(fake.Requests())
		for name, opt := range map[string]orderkit.CallOption{
			"Sandbox(true)": attivita.Sandbox(true),
			"CallHeader":    orderkit.CallHeader("X-Sandbox-Mode", "true"),
		} {
			_, rerr := c.Orders.Resolve(ctx, err, opt)
			require.ErrorIs(t, rerr, orderkit.ErrInvalidArgument, name)
		}
		assert.Len(t, fake.Requests(), sent, "nothing was sent")
		for _, opts := range [][]orderkit.CallOption{nil, {attivita.Sandbox(false)}} {
			res, rerr := c.Orders.Resolve(ctx, err, opts...)
			require.NoError(t, rerr)
			last := fake.Requests()[len(fake.Requests())-1]
			assert.False(t, last.Sandbox, "lists live %v: the lookup is live", listsLive)
			require.Equal(t, orderkit.Created, res.State, "lists live %v", listsLive)
			assert.Equal(t, attivita.OrderNumber(1001), res.Order.OrderNumber)
		}
		assert.Equal(t, 1, fake.Count("POST", "/api/orders"))
	}

	// And a lost sandbox create is looked up in sandbox mode; Sandbox(false)
	// contradicts it.
	c, fake := onFake(t)
	fake.DropNextAfterActing()
	err := lostCreate(t, c, attivita.Sandbox(true))
	_, rerr := c.Orders.Resolve(ctx, err, attivita.Sandbox(false))
	require.ErrorIs(t, rerr, orderkit.ErrInvalidArgument)
	assert.Contains(t, rerr.Error(), "attivita.Sandbox(false)")
	r, rerr := c.Orders.Resolve(ctx, err)
	require.NoError(t, rerr)
	assert.True(t, fake.Requests()[len(fake.Requests())-1].Sandbox)
	require.Equal(t, orderkit.Created, r.State)
	assert.Equal(t, attivita.OrderNumber(900001), r.Order.OrderNumber)
}

// An order a sandbox-mode Create returned is remembered as the sandbox's,
// even when its answer does not mark it (status "completed", no notice, no
// header): sandbox and live numbers may coincide, and the live order of
// that number must stay a candidate for a lost live create.
func TestResolveLiveNotHiddenByASandboxOrderOfTheSameNumber(t *testing.T) {
	c, mock := newMocked(t)
	answer := func(date string) string {
		return `{"orderNumber":1001,"orderDate":"` + date + `","status":"completed","items":[{"product":"Office","productId":"` +
			attivitatest.DemoOfficeID + `","quantity":2,"price":89.99,"licenses":[{"licenseKey":"K1"},{"licenseKey":"K2"}]}],"subTotal":179.98,"grandTotal":179.98}`
	}
	now := time.Now().UTC()
	mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(200, answer(now.Format(time.RFC3339)), nil))
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, "["+answer(now.Format(time.RFC3339))+"]", nil))
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, attivita.Sandbox(true))
	require.NoError(t, err)
	require.Equal(t, attivita.OrderNumber(1001), o.OrderNumber)

	lost := &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: now, EndedAt: now}
	r, err := c.Orders.Resolve(ctx, lost)
	require.NoError(t, err)
	require.Equal(t, orderkit.Created, r.State, "the live order 1001 is no sandbox order's")
	assert.Equal(t, attivita.OrderNumber(1001), r.Order.OrderNumber)
	assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+base+"/api/orders"], "never a second POST")
}

// A lost create is not resolved to the order of an identical Create of the
// same client still waiting for its answer: that order is the other
// call's, and taking it would hand its keys out twice. The one match is
// Ambiguous, with or without ResolveOutcome; once the other call has its
// answer, its order is ruled out.
func TestResolveNeverTakesTheOrderOfACreateInFlight(t *testing.T) {
	c, mock := newMocked(t)
	order := `{"orderNumber":1001,"orderDate":"` + time.Now().UTC().Format(time.RFC3339) + `","status":"completed","items":[{"product":"Office","productId":"` +
		attivitatest.DemoOfficeID + `","quantity":2,"price":89.99,"licenses":[{"licenseKey":"K1"},{"licenseKey":"K2"}]}],"subTotal":179.98,"grandTotal":179.98}`
	arrived, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	let := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(let) // a failed assertion must not leave the call waiting
	var posts atomic.Int32
	mock.RegisterResponder("POST", base+"/api/orders", func(r *http.Request) (*http.Response, error) {
		if posts.Add(1) == 1 {
			// The first create is carried out; its answer waits.
			close(arrived)
			<-release
			return jsonResponder(200, order, nil)(r)
		}
		// Later ones fail before anything is stored, on a 500.
		return jsonResponder(500, `{"error":"Internal error"}`, nil)(r)
	})
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, "["+order+"]", nil))

	first := make(chan *attivita.Order, 1)
	go func() {
		o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
		assert.NoError(t, err)
		first <- o
	}()
	<-arrived
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrAmbiguous, "order 1001 may be the call in flight's")
	lost := err
	r, rerr := c.Orders.Resolve(ctx, lost)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.Ambiguous, r.State)
	require.Len(t, r.Candidates, 1)
	assert.Equal(t, attivita.OrderNumber(1001), r.Candidates[0].OrderNumber)

	// A call in the other mode is no such call.
	r, rerr = c.Orders.Resolve(ctx, &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: time.Now(), EndedAt: time.Now()},
		attivita.Sandbox(true))
	require.NoError(t, rerr)
	// This server answers the same list in both modes, marking nothing:
	// 1001 may be a live order or the sandbox's, never taken, and the list
	// cannot prove that no sandbox order was made.
	assert.Equal(t, orderkit.Ambiguous, r.State, "a live order is no sandbox order")
	assert.Len(t, r.Candidates, 1)

	let()
	o := <-first
	require.NotNil(t, o)
	assert.Equal(t, attivita.OrderNumber(1001), o.OrderNumber)
	settle(c)
	r, rerr = c.Orders.Resolve(ctx, lost)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.NotCreated, r.State, "order 1001 is the answered call's")
	assert.Equal(t, int32(2), posts.Load(), "never a second POST")
}

// An order Resolve found for one lost create is found again for that call,
// but is never taken for another lost create of the same client with the
// same products (its keys would go out twice), nor ruled out for a record
// of the first call rebuilt less precisely (it would be told to buy
// again): a lone such match is Ambiguous.
func TestResolveNeverTakesAnOrderResolvedForAnotherLostCall(t *testing.T) {
	c, fake := onFake(t)
	fake.DropNextAfterActing()
	first := lostCreate(t, c)
	r, rerr := c.Orders.Resolve(ctx, first)
	require.NoError(t, rerr)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")

	fake.DropNextBeforeActing()
	second := lostCreate(t, c)
	r, rerr = c.Orders.Resolve(ctx, second)
	require.NoError(t, rerr)
	require.Equal(t, orderkit.Ambiguous, r.State, "order 1001 was found for the first lost call")
	require.Len(t, r.Candidates, 1)
	assert.Equal(t, attivita.OrderNumber(1001), r.Candidates[0].OrderNumber)
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.NoError(t, err, "an answered create is unaffected")

	// The first call, resolved again from its error or rebuilt exactly,
	// still finds its order; rebuilt with its SentAt to the millisecond, it
	// is Ambiguous, never NotCreated.
	var l *orderkit.LostCreateError
	require.ErrorAs(t, first, &l)
	exact := &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: l.SentAt.Round(0), EndedAt: l.EndedAt, ServerDate: l.ServerDate}
	r, rerr = c.Orders.Resolve(ctx, exact)
	require.NoError(t, rerr)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")
	r, rerr = c.Orders.Resolve(ctx, first)
	require.NoError(t, rerr)
	requireCreated(t, r, 1001, "OFFC-0000-0000-0001", "OFFC-0000-0000-0002")
	coarse := &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: l.SentAt.Truncate(time.Millisecond).Add(-time.Millisecond), EndedAt: l.EndedAt, ServerDate: l.ServerDate}
	r, rerr = c.Orders.Resolve(ctx, coarse)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.Ambiguous, r.State, "another record of the first call is not told to buy again")
	assert.Equal(t, 2, fake.OrderCount())
}

// Attivita stores no reference of the caller's: the creates refuse
// Reference before sending, naming it.
func TestCreateRefusesReference(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(201, fixture(t, "create_order_response.json"), nil))
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.Reference("shop-4711"))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "Reference does not apply to Orders.Create")
	_, err = c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://example.com/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}},
		orderkit.Reference("shop-4711"))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "Reference does not apply to Webhooks.Create")
	assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing was sent")
}
