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
}

// advance moves the cursor past o. It never moves backwards: an order
// older than the cursor (redelivered by the lookback window, or modified)
// leaves it where it is.
func (c *DeltaCursor) advance(o *Order) {
	t := o.DeltaTime()
	switch {
	case t.After(c.Time):
		c.Time, c.ID, c.Seen = t, o.ID, []ID{o.ID}
	case t.Equal(c.Time):
		if !slices.Contains(c.Seen, o.ID) {
			c.Seen = append(c.Seen, o.ID)
		}
		if o.ID > c.ID {
			c.ID = o.ID
		}
	}
}

func (c *DeltaCursor) seen(o *Order) bool {
	return o.DeltaTime().Equal(c.Time) && slices.Contains(c.Seen, o.ID)
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
// the checkpoint's time that were consumed are skipped, so a run with
// nothing new yields nothing. Store cp (JSON) after the loop, and if you
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
// number, which always makes progress. It returns false to stop the run.
func (s *OrdersService) syncChannel(ctx context.Context, ch Channel, cur *DeltaCursor, limit int, opts SyncOptions, yield func(Order, error) bool) bool {
	start := opts.Since
	if !cur.Time.IsZero() {
		start = cur.Time.Add(-opts.Lookback)
	}
	page := 0
	// walk remembers what this run delivered at the newest time, so that
	// the lookback window does not deliver an order twice in one run.
	var walk DeltaCursor
	for {
		if err := ctx.Err(); err != nil {
			yield(Order{}, err)
			return false
		}
		p, err := s.Delta(ctx, DeltaOptions{StartDate: start, Limit: limit, Page: page, Channel: ch})
		if err != nil {
			yield(Order{}, err)
			return false
		}
		next := start
		for i := range p.Data {
			o := &p.Data[i]
			if t := o.DeltaTime(); t.After(next) {
				next = t
			}
			// A server that ignores the channel parameter sends every
			// channel to every query: keep this channel's orders only.
			if o.Channel != "" && !strings.EqualFold(string(o.Channel), string(ch)) {
				continue
			}
			if cur.seen(o) || walk.seen(o) {
				continue
			}
			if !yield(*o, nil) {
				return false
			}
			cur.advance(o)
			walk.advance(o)
		}
		if len(p.Data) < limit {
			return true
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
