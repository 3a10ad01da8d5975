package hardening_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/internal/fakehttp"
)

// builders make one fresh rig per client, so that every case starts with
// an empty fault queue and fresh counts.
var builders = []struct {
	name string
	new  func(t *testing.T, o rigOptions) *rig
}{
	{"attivita", newAttivitaRig},
	{"inventorum", newInventorumRig},
	{"versacommerce", newVersaRig},
	{"adility-json", func(t *testing.T, o rigOptions) *rig { return newAdilityRig(t, o, adility.JSON) }},
	{"adility-xml", func(t *testing.T, o rigOptions) *rig { return newAdilityRig(t, o, adility.XML) }},
}

// stallDeadline is the caller's deadline against a stalling server. A call
// still running stallHang after it hangs on the server instead of giving
// up: far above any scheduling delay of a loaded machine, so the check
// catches a hang and never the machine's speed.
const (
	stallDeadline = 300 * time.Millisecond
	stallHang     = 5 * time.Second
)

// A fault case: the faults planned (queued once, or answered always), and
// what the GET and the POST must give.
type faultCase struct {
	name   string
	next   []fakehttp.Fault
	always fakehttp.Fault
	// get: nil error wanted, or the sentinels the error must match;
	// getSent is how many GETs the server counts.
	getOK   bool
	getIs   []error
	getSent int
	// post: the same; postSent is how many POSTs the server counts (a
	// reset before reading is not counted), postActed how many the fake
	// carried out.
	postOK    bool
	postIs    []error
	postNot   []error
	postSent  int
	postActed int
}

var faultCases = []faultCase{
	{name: "reset before read", next: []fakehttp.Fault{{Kind: fakehttp.DropBeforeActing}},
		getOK: true, getSent: 1,
		postIs: []error{orderkit.ErrOutcomeUnknown}, postSent: 0, postActed: 0},
	{name: "reset after read", next: []fakehttp.Fault{{Kind: fakehttp.DropAfterReading}},
		getOK: true, getSent: 2,
		postIs: []error{orderkit.ErrOutcomeUnknown}, postSent: 1, postActed: 0},
	{name: "body cut mid-JSON once", next: []fakehttp.Fault{{Kind: fakehttp.CutBody}},
		getOK: true, getSent: 2,
		postIs: []error{orderkit.ErrInvalidResponse, orderkit.ErrOutcomeUnknown}, postSent: 1},
	{name: "body cut mid-JSON always", always: fakehttp.Fault{Kind: fakehttp.CutBody},
		getIs: []error{orderkit.ErrInvalidResponse}, getSent: 3,
		postIs: []error{orderkit.ErrInvalidResponse, orderkit.ErrOutcomeUnknown}, postSent: 1},
	{name: "429 with Retry-After once", next: []fakehttp.Fault{fakehttp.RateLimited()},
		getOK: true, getSent: 2,
		postOK: true, postSent: 2, postActed: 1},
	{name: "429 with Retry-After always", always: fakehttp.RateLimited(),
		getIs: []error{orderkit.ErrRateLimited}, getSent: 3,
		postIs: []error{orderkit.ErrRateLimited}, postNot: []error{orderkit.ErrOutcomeUnknown}, postSent: 3},
	{name: "503 with Retry-After once", next: []fakehttp.Fault{fakehttp.Unavailable()},
		getOK: true, getSent: 2,
		postOK: true, postSent: 2, postActed: 1},
	{name: "503 with Retry-After always", always: fakehttp.Unavailable(),
		getIs: []error{orderkit.ErrServer}, getSent: 3,
		postIs: []error{orderkit.ErrServer}, postNot: []error{orderkit.ErrOutcomeUnknown}, postSent: 3},
	{name: "HTML error page once", next: []fakehttp.Fault{fakehttp.HTMLError()},
		getOK: true, getSent: 2,
		postIs: []error{orderkit.ErrServer, orderkit.ErrOutcomeUnknown}, postSent: 1},
	{name: "HTML error page always", always: fakehttp.HTMLError(),
		getIs: []error{orderkit.ErrServer}, getSent: 3,
		postIs: []error{orderkit.ErrServer, orderkit.ErrOutcomeUnknown}, postSent: 1},
	{name: "200 with empty body", next: []fakehttp.Fault{fakehttp.EmptyOK()},
		getIs: []error{orderkit.ErrInvalidResponse}, getSent: 1,
		postIs: []error{orderkit.ErrInvalidResponse, orderkit.ErrOutcomeUnknown}, postSent: 1},
	{name: "body over the cap", next: []fakehttp.Fault{{Kind: fakehttp.Huge}},
		getIs: []error{orderkit.ErrResponseTooLarge, orderkit.ErrInvalidResponse}, getSent: 1,
		postIs: []error{orderkit.ErrResponseTooLarge, orderkit.ErrOutcomeUnknown}, postSent: 1},
}

func plan(fs *fakehttp.Loopback, fc faultCase) {
	fs.Next(fc.next...)
	if fc.always != (fakehttp.Fault{}) {
		fs.Always(fc.always)
	}
}

func checkErr(t *testing.T, ok bool, is, not []error, err error) {
	t.Helper()
	if ok {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	var pe *orderkit.Error
	require.True(t, errors.As(err, &pe), "not an *Error: %T %v", err, err)
	for _, s := range is {
		assert.ErrorIs(t, err, s)
	}
	for _, s := range not {
		assert.NotErrorIs(t, err, s)
	}
}

func TestFaults(t *testing.T) {
	for _, b := range builders {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			reads := len(b.new(t, rigOptions{}).allReads())
			for _, fc := range faultCases {
				// Every read (get, Do, the client's other reads) on a rig
				// of its own, so that each meets the fault first.
				for i := range reads {
					r := b.new(t, rigOptions{})
					rd := r.allReads()[i]
					name := fc.name + "/GET"
					if rd.name != "get" {
						name += " " + rd.name
					}
					t.Run(name, func(t *testing.T) {
						before := r.fs.Count(http.MethodGet, rd.path)
						plan(r.fs, fc)
						ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
						defer cancel()
						err := rd.call(ctx)
						checkErr(t, fc.getOK, fc.getIs, nil, err)
						assert.Equal(t, fc.getSent, r.fs.Count(http.MethodGet, rd.path)-before, "GETs the server saw")
					})
				}
				// The create, and the same POST through Do.
				for _, name := range []string{"/POST", "/POST Do"} {
					t.Run(fc.name+name, func(t *testing.T) {
						r := b.new(t, rigOptions{})
						post := r.post
						if name == "/POST Do" {
							post = r.doPost
						}
						before := r.fs.Count(http.MethodPost, r.postPath)
						plan(r.fs, fc)
						ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
						defer cancel()
						err := post(ctx)
						checkErr(t, fc.postOK, fc.postIs, fc.postNot, err)
						assert.Equal(t, fc.postSent, r.fs.Count(http.MethodPost, r.postPath)-before, "POSTs the server saw")
						assert.Equal(t, fc.postActed, r.acted(), "POSTs the fake carried out")
						assert.LessOrEqual(t, r.acted(), 1, "a POST carried out more than once")
					})
				}
			}
			t.Run("stall", func(t *testing.T) {
				r := b.new(t, rigOptions{})
				for _, call := range []struct {
					name string
					fn   func(context.Context) error
					post bool
				}{{"GET", r.get, false}, {"POST", r.post, true}, {"POST Do", r.doPost, true}} {
					postsBefore := r.fs.Count(http.MethodPost, r.postPath)
					r.fs.Next(fakehttp.Fault{Kind: fakehttp.Stall})
					ctx, cancel := context.WithTimeout(context.Background(), stallDeadline)
					deadline, _ := ctx.Deadline()
					err := call.fn(ctx)
					late := time.Since(deadline)
					cancel()
					require.Error(t, err, call.name)
					assert.ErrorIs(t, err, context.DeadlineExceeded, call.name)
					var pe *orderkit.Error
					assert.True(t, errors.As(err, &pe), "%s: not an *Error: %v", call.name, err)
					assert.Less(t, late, stallHang, "%s returned %v after the deadline: it waited on the stalled server", call.name, late)
					if call.post {
						assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, call.name)
						assert.Equal(t, 1, r.fs.Count(http.MethodPost, r.postPath)-postsBefore, "%s: POSTs the server saw", call.name)
						assert.Equal(t, 0, r.acted())
					}
				}
			})
		})
	}
}

// TestIdempotentPlaceRetried: a Place declared idempotent (Adility refuses a
// repeated order number) is retried after a lost answer, and carried out
// once.
func TestIdempotentPlaceRetried(t *testing.T) {
	for _, f := range []adility.Format{adility.JSON, adility.XML} {
		for _, fault := range []fakehttp.Fault{{Kind: fakehttp.DropAfterReading}, fakehttp.HTMLError()} {
			r := newAdilityRig(t, rigOptions{}, f)
			before := r.fs.Count(http.MethodPost, r.postPath)
			r.fs.Next(fault)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := r.postIdem(ctx)
			cancel()
			require.NoError(t, err, "format %v fault %v", f, fault)
			assert.Equal(t, 2, r.fs.Count(http.MethodPost, r.postPath)-before)
			assert.Equal(t, 1, r.acted())
		}
	}
}
