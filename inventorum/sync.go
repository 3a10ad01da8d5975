package inventorum

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/money"
)

// ErrInconsistentFeed is matched (errors.Is) by the error Sync yields when
// the delta feed answers in a way no reading of its page allows: a server
// that ignores page, start_date or limit, or a feed whose distinct orders
// fall short of the total it reports in reads that agree (a stretch whose
// reads keep disagreeing is deferred, not an error: see
// DeltaCheckpoint.Deferred). The same error matches
// orderkit.ErrInvalidResponse and carries the request's URL. The
// checkpoint is left where it was safe, so a later run resumes without a
// gap. A lost basket's lookup (BasketService.Resolve) fails with it when
// the reads of a channel keep moving, rather than report NotCreated.
var ErrInconsistentFeed = errors.New("inconsistent delta feed")

// DeltaCheckpoint is where a sync of the delta feed stands, one cursor per
// channel. It is plain JSON: store it after a run (or during one; see
// SaveCheckpoint) and pass it to the next. The zero value starts from the
// beginning of the feed (or SyncOptions.Since). Decoding it from JSON
// checks it (see Validate).
type DeltaCheckpoint struct {
	// Channels holds the cursor of each channel synced so far.
	Channels map[Channel]*DeltaCursor `json:"channels"`
}

// Deferred lists the channels the last run left before a stretch that
// did not settle (see DeltaCursor.Deferred), in the order of Channels; nil
// when the run read every channel through. Such a run ends without an
// error: run again later (the next scheduled run will do) to read on.
func (cp *DeltaCheckpoint) Deferred() []Channel {
	if cp == nil {
		return nil
	}
	var out []Channel
	for _, ch := range Channels {
		if cur := cp.Channels[ch]; cur != nil && cur.Deferred {
			out = append(out, ch)
		}
	}
	return out
}

// DeltaCursor is the position in one channel's feed: the newest delta
// time up to which the feed has been read through, and the orders that a
// read from there may answer again, each with the version delivered.
type DeltaCursor struct {
	// Time is the newest delta time read through. The next read asks from
	// one millisecond (the resolution of start_date) before it.
	Time time.Time `json:"time"`
	// ID is the last order delivered (informational).
	ID ID `json:"id"`
	// Seen holds the orders delivered that a read from Time may answer
	// again: those at Time, and modified orders the feed may keep behind
	// it.
	Seen []ID `json:"seen"`
	// Deferred is set when the last run left this channel before a
	// stretch of orders on one millisecond whose reads kept disagreeing
	// (orders kept moving in it while it was read): the run delivered what
	// it read, ended without an error, and the next run reads the channel
	// on from Time. It is cleared when a run reads the channel through.
	Deferred bool `json:"deferred,omitempty"`
	// Versions holds, position by position with Seen, the version of each
	// order when it was delivered, so that an order changed without its
	// delta time moving on is delivered again. A checkpoint stored without
	// Versions (or a 0) treats the order as current. They are stored as
	// strings of digits (see MarshalJSON), and read from numbers too.
	Versions []uint64 `json:"versions,omitempty"`
}

// version is a digest of what a change to an order changes: its state,
// delta state, times, amounts, discounts, payments (with their method),
// items (product, quantity, net and gross price), notes and shipment (with
// its cost). It is never 0, which stands for "not recorded".
func (o *Order) version() uint64 {
	h := uint64(14695981039346656037)
	mix := func(v uint64) {
		for i := 0; i < 8; i++ {
			h ^= v & 0xff
			h *= 1099511628211
			v >>= 8
		}
	}
	str := func(s string) {
		mix(uint64(len(s)))
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	ptr := func(s *string) {
		if s == nil {
			mix(math.MaxUint64)
			return
		}
		str(*s)
	}
	tm := func(t time.Time) { mix(uint64(t.UnixNano())) }
	// amt mixes an amount's value, the same for 1.5 and 1.50, without
	// printing it (a print allocates, several times an order).
	amt := func(a money.Amount) {
		d := a.Decimal()
		if d.IsZero() {
			mix(0)
			mix(0)
			return
		}
		if d.NumDigits() > 18 {
			str(a.String())
			return
		}
		c, e := d.CoefficientInt64(), d.Exponent()
		for c%10 == 0 {
			c /= 10
			e++
		}
		mix(uint64(c))
		mix(uint64(int64(e)))
	}
	disc := func(d *Discount) {
		if d == nil {
			mix(math.MaxUint64)
			return
		}
		amt(d.Amount)
		mix(uint64(d.Reason))
		str(string(d.Type))
	}
	mix(uint64(o.State))
	str(string(o.DeltaState))
	tm(o.TimeAdded)
	tm(o.CompletedAt)
	amt(o.AmountPaid)
	ptr(o.Basket.NoteInternal)
	ptr(o.Basket.NoteExternal)
	str(o.Basket.InvoiceNumber)
	disc(o.Basket.Discount)
	mix(uint64(len(o.Basket.Items)))
	for i := range o.Basket.Items {
		it := &o.Basket.Items[i]
		mix(uint64(it.ID))
		mix(uint64(it.Product))
		mix(uint64(it.Quantity))
		amt(it.Price)
		amt(it.GrossPrice)
		disc(it.Discount)
	}
	mix(uint64(len(o.Payments)))
	for i := range o.Payments {
		mix(uint64(o.Payments[i].ID))
		str(o.Payments[i].PaymentMethod)
		amt(o.Payments[i].PaymentAmount)
	}
	if o.Shipment != nil {
		mix(uint64(o.Shipment.ID))
		ptr(o.Shipment.TrackingNumber)
		amt(o.Shipment.Cost)
	}
	if o.Customer != nil {
		mix(uint64(o.Customer.ID))
	}
	return h | 1<<63
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
	// window that were already delivered are delivered again, except those
	// the checkpoint holds in Seen.
	Lookback time.Duration
	// Since is where a channel without a cursor starts; zero is the
	// beginning of the feed.
	Since time.Time
}

// maxPasses bounds the reads of one stretch of the feed that must be read
// by page number (more orders on one millisecond than a page holds), and
// maxRepeats the reads of it in which a page repeats the page before.
const (
	maxPasses  = 6
	maxRepeats = 3
)

// Sync walks the delta feed of every channel asked for from cp and yields
// each order version not delivered yet, lazily, page by page; nil opts
// syncs every channel from the beginning. cp advances in place past each
// order the loop body finished with, so storing it and running again
// resumes without a gap. The call options apply to every page request. See
// the package doc, "Sync", for what is promised and assumed.
//
// GET /orders/delta/
func (s *OrdersService) Sync(ctx context.Context, cp *DeltaCheckpoint, opts *SyncOptions, callOpts ...orderkit.CallOption) iter.Seq2[Order, error] {
	var o SyncOptions
	if opts != nil {
		o = *opts
		o.Channels = slices.Clone(opts.Channels)
	}
	return func(yield func(Order, error) bool) {
		cs, err := s.c.pc.Calls("Orders.Sync", callOpts)
		if err != nil {
			yield(Order{}, err)
			return
		}
		opts := o
		if cp == nil {
			yield(Order{}, pipeline.Invalid(apiName, "sync needs a checkpoint (a zero DeltaCheckpoint starts from the beginning)"))
			return
		}
		if err := cp.Validate(); err != nil {
			yield(Order{}, err)
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
			w := newChannelWalk(s, ctx, ch, cur, limit, opts, yield)
			w.call = cs
			if !w.run() {
				return
			}
		}
	}
}

// seenMeta is what a walk knows of one entry of its cursor's Seen.
type seenMeta struct {
	// bound, when bounded, is a time no earlier than where the order
	// stands in the feed: a read from after it cannot answer the order.
	bound   time.Time
	bounded bool
	// read is the last read of the feed the order was found in.
	read int
}

// channelWalk is one run over one channel.
type channelWalk struct {
	s        *OrdersService
	ctx      context.Context
	call     config.CallSettings
	ch       Channel
	cur      *DeltaCursor
	limit    int
	yield    func(Order, error) bool
	lookback time.Duration
	since    time.Time

	// qstart is the start_date of the current read, lastPage its page.
	qstart   time.Time
	lastPage int
	// meta and idx run parallel to cur.Seen.
	meta []seenMeta
	idx  map[ID]int
	// ownVersions says cur.Versions was allocated by this walk, so an
	// entry may be changed in place (a caller's copy of the cursor taken
	// earlier shares the array otherwise).
	ownVersions bool
	// read counts the reads of the feed (a page, or a pass of pages).
	read int
	// pending are the entries met on the current page that no later
	// order of a known place has bounded yet.
	pending []int
	// seq and prev are the passes of a stretch read by page number.
	seq, prev []seqEntry
	distinct  map[ID]struct{}
}

type seqEntry struct {
	id      ID
	version uint64
}

func newChannelWalk(s *OrdersService, ctx context.Context, ch Channel, cur *DeltaCursor, limit int, opts SyncOptions, yield func(Order, error) bool) *channelWalk {
	w := &channelWalk{s: s, ctx: ctx, ch: ch, cur: cur, limit: limit, yield: yield, lookback: opts.Lookback, since: opts.Since}
	if len(cur.Versions) < len(cur.Seen) {
		// A checkpoint stored before Versions existed: every order current.
		cur.Versions = make([]uint64, len(cur.Seen))
		w.ownVersions = true
	}
	w.meta = make([]seenMeta, len(cur.Seen))
	w.idx = make(map[ID]int, len(cur.Seen))
	for i, id := range cur.Seen {
		w.idx[id] = i
	}
	return w
}

// startOf is where a read from the cursor time t begins: one millisecond
// before it, so that a server reading start_date as "after" answers the
// orders at t too.
func startOf(t time.Time) time.Time {
	return t.Truncate(time.Millisecond).Add(-time.Millisecond)
}

// advances reports whether o lets the read move on past the current start.
func (w *channelWalk) advances(o *Order) bool {
	return startOf(o.DeltaTime()).After(w.qstart)
}

// run walks the channel from its cursor to the end of the feed: keyset
// pages (each asked from the newest delta time of the page before, less a
// millisecond), and stretches read by page number where a whole page
// shares one millisecond. It returns false to stop the run.
func (w *channelWalk) run() bool {
	w.cur.Deferred = false
	switch {
	case !w.cur.Time.IsZero():
		w.qstart = startOf(w.cur.Time).Add(-w.lookback)
	case !w.since.IsZero():
		w.qstart = startOf(w.since)
	}
	for {
		p, ok := w.fetch(0)
		if !ok {
			return false
		}
		w.distinctReset()
		for i := range p.Data {
			w.distinct[p.Data[i].ID] = struct{}{}
		}
		end := w.isEnd(p)
		adv := w.firstAdvancing(p.Data)
		if adv < 0 && !end {
			// The whole page is on one millisecond: read by page number.
			g, ok := w.stretch(p)
			if !ok {
				return false
			}
			if g.unsettled {
				// The cursor stays before the stretch; the orders the
				// passes delivered are in Seen, so the next run delivers
				// only what is new.
				w.cur.Deferred = true
				return true
			}
			if g.end {
				w.finish(g.vis)
				return true
			}
			w.moveTo(g.vis)
			continue
		}
		w.read++
		if !w.consume(p.Data) {
			return false
		}
		if end {
			w.finish(maxDeltaTime(p.Data))
			return true
		}
		// The page started at qstart, so it held every order filed before
		// its newest delta time: ask again from there (keyset paging).
		w.moveTo(maxDeltaTime(p.Data))
	}
}

// isEnd reports whether p, a page of the current read, is its last: empty,
// or short with as many distinct orders read as the total it reports. A
// short page alone may be a server's cap on the page size, so a page that
// tells no total (a bare array) ends the read only when empty.
func (w *channelWalk) isEnd(p *Page) bool {
	return len(p.Data) == 0 || (len(p.Data) < w.limit && p.Total > 0 && int64(len(w.distinct)) >= p.Total)
}

func (w *channelWalk) distinctReset() {
	if w.distinct == nil {
		w.distinct = map[ID]struct{}{}
	}
	clear(w.distinct)
}

func (w *channelWalk) firstAdvancing(data []Order) int {
	for i := range data {
		if w.advances(&data[i]) {
			return i
		}
	}
	return -1
}

func maxDeltaTime(data []Order) time.Time {
	var t time.Time
	for i := range data {
		if dt := data[i].DeltaTime(); dt.After(t) {
			t = dt
		}
	}
	return t
}

type stretchEnd struct {
	// end: the stretch ran to the end of the feed; otherwise vis is the
	// delta time of the first order after it.
	end bool
	vis time.Time
	// unsettled: the passes kept disagreeing because orders kept moving
	// while the stretch was read; the run leaves it to the next one.
	unsettled bool
}

// stretch reads the orders at the current start by page number, first
// being its first page. Page numbers are offsets: an order that moves to
// the end of the feed while the pages are read (it was modified) moves the
// orders behind it one place forward, and the next page skips one. So the
// stretch is read again from its first page until two passes in a row
// answer the same orders in the same versions (and, at the end of the
// feed, as many as the total): a pass in which an order moved differs from
// the next, because the order has left the stretch. Each pass numbers its
// pages afresh: a second page equal to the first means pages count from 1.
func (w *channelWalk) stretch(first *Page) (stretchEnd, bool) {
	w.prev = w.prev[:0]
	var total int64
	repeats := 0
	for pass := 0; pass < maxPasses; pass++ {
		w.read++
		w.seq = w.seq[:0]
		w.distinctReset()
		p := first
		if pass > 0 {
			var ok bool
			if p, ok = w.fetch(0); !ok {
				return stretchEnd{}, false
			}
		}
		var res stretchEnd
		var last []ID
		base := 0
		repeated := false
		for k := 0; ; {
			if k > 0 {
				var ok bool
				if p, ok = w.fetch(k + base); !ok {
					return stretchEnd{}, false
				}
				if sameIDs(p.Data, last) && k == 1 && base == 0 {
					base = 1
					if p, ok = w.fetch(k + base); !ok {
						return stretchEnd{}, false
					}
				}
				if sameIDs(p.Data, last) {
					// A page holding the orders of the page before: the
					// server ignores paging, or (rarely) orders filed in
					// front of these moved them on by exactly a page. Read
					// the stretch again; a server that does it every time
					// is refused.
					repeated = true
					break
				}
			}
			total = p.Total
			n := len(p.Data)
			adv := w.firstAdvancing(p.Data)
			if adv >= 0 {
				n = adv
			}
			for i := 0; i < n; i++ {
				o := &p.Data[i]
				w.distinct[o.ID] = struct{}{}
				w.seq = append(w.seq, seqEntry{o.ID, o.version()})
				if dt := o.DeltaTime(); dt.After(res.vis) {
					res.vis = dt
				}
			}
			if !w.consume(p.Data[:n]) {
				return stretchEnd{}, false
			}
			if adv >= 0 {
				// The order the stretch ends at belongs to the pass: an
				// order skipped at the last page shows as another one here.
				o := &p.Data[adv]
				w.seq = append(w.seq, seqEntry{o.ID, o.version()})
				res.vis = o.DeltaTime()
				break
			}
			if w.isEnd(p) {
				res.end = true
				break
			}
			last = last[:0]
			for i := range p.Data {
				last = append(last, p.Data[i].ID)
			}
			k++
			if total > 0 && int64(k) > total+2 {
				return stretchEnd{}, w.fail(fmt.Errorf("%w: %d pages read for a total of %d orders", ErrInconsistentFeed, k, total))
			}
		}
		if repeated {
			if repeats++; repeats == maxRepeats {
				return stretchEnd{}, w.fail(fmt.Errorf("%w: page %d holds the orders of the page before, in %d reads: the server ignores paging", ErrInconsistentFeed, w.lastPage, repeats))
			}
			w.seq = w.seq[:0]
		}
		short := res.end && total > 0 && int64(len(w.distinct)) < total
		agree := !repeated && pass > 0 && equalSeq(w.seq, w.prev)
		if agree && !short {
			return res, true
		}
		if agree && pass == maxPasses-1 {
			// The last two passes answered the same orders, and fewer
			// than the total they report: not orders moving, a total
			// that does not count the query's orders.
			return stretchEnd{}, w.fail(fmt.Errorf("%w: %d reads of the orders from %s answered %d distinct orders for a total of %d",
				ErrInconsistentFeed, maxPasses, w.qstart.Format(deltaTimeLayout), len(w.distinct), total))
		}
		w.seq, w.prev = w.prev, w.seq
	}
	// Orders kept moving while the stretch was read: what the passes
	// delivered is recorded, and the stretch is left to the next run.
	return stretchEnd{unsettled: true}, true
}

func sameIDs(data []Order, ids []ID) bool {
	if len(data) == 0 || len(data) != len(ids) {
		return false
	}
	for i := range data {
		if data[i].ID != ids[i] {
			return false
		}
	}
	return true
}

func equalSeq(a, b []seqEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// fail yields an ErrInconsistentFeed error for the delta path and stops.
func (w *channelWalk) fail(cause error) bool {
	w.yield(Order{}, w.s.c.pc.InvalidAnswer(http.MethodGet, "orders/delta/", nil, cause))
	return false
}

// fetch reads page of the current read and checks what no reading allows.
func (w *channelWalk) fetch(page int) (*Page, bool) {
	if err := w.ctx.Err(); err != nil {
		w.yield(Order{}, err)
		return nil, false
	}
	w.lastPage = page
	p, err := w.s.delta(w.ctx, &DeltaOptions{StartDate: w.qstart, Limit: w.limit, Page: page, Channel: w.ch}, w.call)
	if err != nil {
		w.yield(Order{}, err)
		return nil, false
	}
	if len(p.Data) > w.limit {
		return nil, w.fail(fmt.Errorf("%w: %d orders on a page of %d: the server ignores limit", ErrInconsistentFeed, len(p.Data), w.limit))
	}
	if !w.qstart.IsZero() {
		for i := range p.Data {
			o := &p.Data[i]
			if dt := o.DeltaTime(); o.DeltaState != DeltaModified && !dt.IsZero() && dt.Truncate(time.Millisecond).Before(w.qstart) {
				return nil, w.fail(fmt.Errorf("%w: order %d of %s answered for start_date %s: the server ignores start_date",
					ErrInconsistentFeed, o.ID, o.DeltaTime().Format(time.RFC3339Nano), w.qstart.Format(deltaTimeLayout)))
			}
		}
	}
	return p, true
}

// consume handles the orders of one page in feed order: each is delivered
// unless its version was delivered already, and the entries met before an
// order of known place are bounded by it.
func (w *channelWalk) consume(data []Order) bool {
	w.pending = w.pending[:0]
	for i := range data {
		o := &data[i]
		// An order whose delta state is not "modified" is filed at its
		// delta time: every order before it on the page is filed no later.
		placed := o.DeltaState != DeltaModified && !o.DeltaTime().IsZero()
		if placed {
			t := o.DeltaTime()
			for _, j := range w.pending {
				if j < len(w.meta) && !w.meta[j].bounded {
					w.meta[j].bound, w.meta[j].bounded = t, true
				}
			}
			w.pending = w.pending[:0]
		}
		// A server that ignores the channel parameter sends every channel
		// to every query: keep this channel's orders only.
		if o.Channel != "" && !strings.EqualFold(string(o.Channel), string(w.ch)) {
			continue
		}
		v := o.version()
		j, known := w.idx[o.ID]
		if !known || (w.cur.Versions[j] != v && w.cur.Versions[j] != 0) {
			if err := w.ctx.Err(); err != nil {
				w.yield(Order{}, err)
				return false
			}
			if !w.yield(*o, nil) {
				return false
			}
			j = w.record(o.ID, v)
			w.cur.ID = o.ID
		} else if w.cur.Versions[j] == 0 {
			w.setVersion(j, v)
		}
		m := &w.meta[j]
		m.read = w.read
		if placed {
			m.bound, m.bounded = o.DeltaTime(), true
		} else if !m.bounded {
			w.pending = append(w.pending, j)
		}
	}
	return true
}

// record notes that version v of order id was delivered and returns its
// entry.
func (w *channelWalk) record(id ID, v uint64) int {
	if j, ok := w.idx[id]; ok {
		w.setVersion(j, v)
		w.meta[j] = seenMeta{}
		return j
	}
	// Appending writes past the end of any earlier copy of the cursor.
	w.cur.Seen = append(w.cur.Seen, id)
	w.cur.Versions = append(w.cur.Versions, v)
	w.meta = append(w.meta, seenMeta{})
	j := len(w.cur.Seen) - 1
	w.idx[id] = j
	return j
}

func (w *channelWalk) setVersion(j int, v uint64) {
	if !w.ownVersions {
		w.cur.Versions = append([]uint64(nil), w.cur.Versions...)
		w.ownVersions = true
	}
	w.cur.Versions[j] = v
}

// moveTo moves the read on to the orders from delta time t and forgets the
// entries no read from there can answer.
func (w *channelWalk) moveTo(t time.Time) {
	if t.After(w.cur.Time) {
		w.cur.Time = t
	}
	if q := startOf(t); q.After(w.qstart) {
		w.qstart = q
	}
	w.keep(func(m *seenMeta) bool { return !m.bounded || !m.bound.Before(w.qstart) })
}

// finish ends a run that read the feed through to its end: the entries
// kept are those the last read met, which a read from the new cursor
// answers again.
func (w *channelWalk) finish(t time.Time) {
	w.moveTo(t)
	w.keep(func(m *seenMeta) bool { return m.read == w.read })
}

// keep drops the entries of Seen that keep rejects. The cursor gets new
// arrays: a caller's copy of it shares the old ones.
func (w *channelWalk) keep(keep func(*seenMeta) bool) {
	n := 0
	for j := range w.meta {
		if keep(&w.meta[j]) {
			n++
		}
	}
	if n == len(w.meta) {
		return
	}
	seen, versions, meta := make([]ID, 0, n), make([]uint64, 0, n), make([]seenMeta, 0, n)
	clear(w.idx)
	for j := range w.meta {
		if keep(&w.meta[j]) {
			w.idx[w.cur.Seen[j]] = len(seen)
			seen, versions, meta = append(seen, w.cur.Seen[j]), append(versions, w.cur.Versions[j]), append(meta, w.meta[j])
		}
	}
	w.cur.Seen, w.cur.Versions, w.meta = seen, versions, meta
	w.ownVersions = true
	w.pending = w.pending[:0]
}
