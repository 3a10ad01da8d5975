package inventorum

import (
	"context"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
)

// DeltaCheckpoint is where a sync of the delta feed stands, one cursor per
// channel. It is plain JSON: store it after a run (or during one) and pass
// it to the next. The zero value starts from the beginning of the feed (or
// SyncOptions.Since).
type DeltaCheckpoint struct {
	// Channels holds the cursor of each channel synced so far.
	Channels map[Channel]*DeltaCursor `json:"channels"`
}

// DeltaCursor is the position in one channel's feed: the delta time and id
// of the last order consumed, and every id consumed at exactly that time
// (several orders can share one timestamp, across a page boundary too).
type DeltaCursor struct {
	Time time.Time `json:"time"`
	ID   ID        `json:"id"`
	Seen []ID      `json:"seen"`
	// Versions holds, position by position with Seen, what each order
	// looked like when it was consumed (its state bitmask and delta
	// state), so that an order modified without its delta time moving on
	// is delivered again. A checkpoint stored without it (or a 0) treats
	// the order as current.
	Versions []uint64 `json:"versions,omitempty"`
}

// version is what a change to an order changes: its state bitmask and its
// delta state. It is never 0, which stands for "not recorded".
func (o *Order) version() uint64 {
	var delta uint64
	switch o.DeltaState {
	case "":
	case DeltaCreated:
		delta = 1
	case DeltaModified:
		delta = 2
	default:
		delta = 3
	}
	return 1<<40 | delta<<32 | uint64(o.State)
}

// advance moves the cursor past o. It never moves backwards: an order
// older than the cursor (redelivered by the lookback window, or modified)
// leaves it where it is.
//
// reuse lets a new time overwrite the backing arrays of Seen and Versions.
// Only a cursor no caller can see may reuse them: a caller's checkpoint
// holds its cursors by pointer, and a copy of a cursor taken during the run
// shares the arrays, so the caller's cursor gets new ones (appending at the
// same time is safe: it writes past the end of any earlier copy).
func (c *DeltaCursor) advance(o *Order, reuse bool) {
	t := o.DeltaTime()
	switch {
	case t.After(c.Time):
		var seen []ID
		var versions []uint64
		if reuse {
			seen, versions = c.Seen[:0], c.Versions[:0]
		}
		c.Time, c.ID = t, o.ID
		c.Seen, c.Versions = append(seen, o.ID), append(versions, o.version())
	case t.Equal(c.Time):
		// A checkpoint stored before Versions existed has none: pad it.
		for len(c.Versions) < len(c.Seen) {
			c.Versions = append(c.Versions, 0)
		}
		if i := slices.Index(c.Seen, o.ID); i >= 0 {
			c.Versions[i] = o.version()
		} else {
			c.Seen, c.Versions = append(c.Seen, o.ID), append(c.Versions, o.version())
		}
		if o.ID > c.ID {
			c.ID = o.ID
		}
	}
}

// seen reports whether o, as it is now, was consumed at the cursor's time.
func (c *DeltaCursor) seen(o *Order) bool {
	if !o.DeltaTime().Equal(c.Time) {
		return false
	}
	i := slices.Index(c.Seen, o.ID)
	if i < 0 {
		return false
	}
	return i >= len(c.Versions) || c.Versions[i] == 0 || c.Versions[i] == o.version()
}

// SyncOptions tune Sync. The zero value syncs every channel, 100 orders a
// page, from the beginning.
type SyncOptions struct {
	// Channels to sync; empty means every documented channel. Each channel
	// is asked for separately, because the delta page says both "from all
	// channels" and "Default: shop".
	Channels []Channel
	// PageSize is 1–100; 0 means 100.
	PageSize int
	// Lookback asks each run from the checkpoint minus this window, for
	// orders the server files late with an earlier time. Orders inside the
	// window that were already consumed are delivered again, except those
	// at exactly the checkpoint's time.
	Lookback time.Duration
	// Since is where a channel without a cursor starts; zero is the
	// beginning of the feed.
	Since time.Time
}

// Sync walks the delta feed of every channel asked for from cp and yields
// each order not yet consumed, lazily, page by page.
//
// Delivery is at least once: cp is advanced in place past an order only
// when the loop body has finished with it (yield returned true). Breaking
// out of the loop, an error, or a cancelled context leave cp just past the
// last order finished, so storing cp and running again from it resumes
// without a gap; the order the loop broke on is delivered again. Orders at
// the checkpoint's time that were consumed are skipped unless their state
// has changed since, so a run with nothing new yields nothing and a refund
// filed at the same second is not lost. Store cp (JSON) after the loop, and if you
// like inside it.
//
// An error is yielded once and ends the run. Memory is bounded by the page
// size and the number of orders sharing one timestamp, not by the number
// of orders synced.
//
// GET /orders/delta/
func (s *OrdersService) Sync(ctx context.Context, cp *DeltaCheckpoint, opts SyncOptions) iter.Seq2[Order, error] {
	return func(yield func(Order, error) bool) {
		if cp == nil {
			yield(Order{}, pipeline.Invalid(apiName, "sync needs a checkpoint (a zero DeltaCheckpoint starts from the beginning)"))
			return
		}
		limit := opts.PageSize
		if limit == 0 {
			limit = MaxDeltaLimit
		}
		if limit < 1 || limit > MaxDeltaLimit {
			yield(Order{}, pipeline.Invalid(apiName, "sync page size %d is not between 1 and %d", limit, MaxDeltaLimit))
			return
		}
		if opts.Lookback < 0 {
			yield(Order{}, pipeline.Invalid(apiName, "sync lookback %s is negative", opts.Lookback))
			return
		}
		channels := opts.Channels
		if len(channels) == 0 {
			channels = Channels
		}
		for _, ch := range channels {
			if !ch.Valid() {
				yield(Order{}, pipeline.Invalid(apiName, "unknown channel %q", ch))
				return
			}
		}
		if cp.Channels == nil {
			cp.Channels = map[Channel]*DeltaCursor{}
		}
		for _, ch := range channels {
			cur := cp.Channels[ch]
			if cur == nil {
				cur = &DeltaCursor{}
				cp.Channels[ch] = cur
			}
			if !s.syncChannel(ctx, ch, cur, limit, opts, yield) {
				return
			}
		}
	}
}

// syncChannel walks one channel's feed. It pages by keyset: each page is
// asked from the newest delta time seen so far, page 0, so that orders
// added or modified meanwhile cannot shift an unseen order out of reach.
// Only when a whole page shares that time does it step to the next page
// number, which always makes progress; such a walk is confirmed by reading
// that time again before leaving it (see confirm). It returns false to stop
// the run.
func (s *OrdersService) syncChannel(ctx context.Context, ch Channel, cur *DeltaCursor, limit int, opts SyncOptions, yield func(Order, error) bool) bool {
	w := &channelWalk{s: s, ctx: ctx, ch: ch, cur: cur, limit: limit, yield: yield}
	start := opts.Since
	if !cur.Time.IsZero() {
		start = cur.Time.Add(-opts.Lookback)
	}
	page := 0
	for {
		p, ok := w.fetch(start, page)
		if !ok {
			return false
		}
		next := start
		for i := range p.Data {
			o := &p.Data[i]
			t := o.DeltaTime()
			if page > 0 && t.After(start) && !w.confirm(start) {
				return false
			}
			if t.After(next) {
				next = t
			}
			if !w.deliver(o) {
				return false
			}
		}
		if len(p.Data) < limit {
			return page == 0 || w.confirm(start)
		}
		// The query's time format holds milliseconds.
		next = next.Truncate(time.Millisecond)
		if next.After(start) {
			start, page = next, 0
		} else {
			page++
		}
	}
}

// channelWalk is one run over one channel.
type channelWalk struct {
	s     *OrdersService
	ctx   context.Context
	ch    Channel
	cur   *DeltaCursor
	limit int
	yield func(Order, error) bool
	// walk remembers what this run delivered at the newest time, so that
	// the lookback window does not deliver an order twice in one run.
	walk DeltaCursor
	// confirmed is the time last confirmed, so it is confirmed once.
	confirmed    time.Time
	hasConfirmed bool
	// prev notices a server that ignores the page parameter.
	prev pageMemo
}

func (w *channelWalk) fetch(start time.Time, page int) (*Page, bool) {
	if err := w.ctx.Err(); err != nil {
		w.yield(Order{}, err)
		return nil, false
	}
	p, err := w.s.Delta(w.ctx, DeltaOptions{StartDate: start, Limit: w.limit, Page: page, Channel: w.ch})
	if err == nil {
		err = w.prev.check(w.s, "orders/delta/", start, page, p.Data)
	}
	if err != nil {
		w.yield(Order{}, err)
		return nil, false
	}
	return p, true
}

// deliver yields o unless it was consumed already, and advances the
// cursors once the caller has finished with it. It returns false to stop.
func (w *channelWalk) deliver(o *Order) bool {
	if !w.wanted(o) {
		return true
	}
	if err := w.ctx.Err(); err != nil {
		w.yield(Order{}, err)
		return false
	}
	if !w.yield(*o, nil) {
		return false
	}
	w.cur.advance(o, false)
	w.walk.advance(o, true)
	return true
}

// wanted reports whether o is of this channel and not consumed yet.
func (w *channelWalk) wanted(o *Order) bool {
	// A server that ignores the channel parameter sends every channel to
	// every query: keep this channel's orders only.
	if o.Channel != "" && !strings.EqualFold(string(o.Channel), string(w.ch)) {
		return false
	}
	return !w.cur.seen(o) && !w.walk.seen(o)
}

// confirm reads the orders at time t again from page 0 and delivers any
// not seen yet. Page numbers within one time are offsets: an order that
// leaves t while its pages are read (it was modified) moves the orders
// behind it one place forward, and the next page would skip one. A pass
// that finds nothing new ends it; at most three passes are made.
func (w *channelWalk) confirm(t time.Time) bool {
	if w.hasConfirmed && w.confirmed.Equal(t) {
		return true
	}
	w.confirmed, w.hasConfirmed = t, true
	for pass := 0; pass < 3; pass++ {
		found := false
		for page := 0; ; page++ {
			p, ok := w.fetch(t, page)
			if !ok {
				return false
			}
			past := false
			for i := range p.Data {
				o := &p.Data[i]
				if o.DeltaTime().After(t) {
					past = true
					break
				}
				if o.DeltaTime().Before(t) || !w.wanted(o) {
					continue
				}
				found = true
				if !w.deliver(o) {
					return false
				}
			}
			if past || len(p.Data) < w.limit {
				break
			}
		}
		if !found {
			return true
		}
	}
	return true
}
