package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Credentials the loopback server expects. They are sent by both the
// clients and the baselines, so both pay for the same headers.
const (
	attivitaToken   = "bench-attivita-token"
	inventorumToken = "bench-inventorum-token"
	vcShop          = "benchshop"
	vcKey           = "bench-key"
	vcPassword      = "bench-password"
)

// Ids the single-order scenarios ask for.
const (
	attivitaOrderNumber = 1001
	vcOrderID           = 100
	vcFailingID         = 500 // always answered with a 500
	vcBrokenID          = 501 // always answered with a body cut off
)

// Sizes of the page scenarios.
const (
	deltaPageSize = 100 // Inventorum's delta maximum
	vcPageSize    = 250 // VersaCommerce's maximum
)

// The delta feed starts here and holds one order a second, so every order
// has its own delta time.
var (
	feedStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	feedStep  = time.Second
)

// hole is a place in a template that changes per order.
type hole int

const (
	holeID   hole = iota // the order's id, a JSON number
	holeTime             // the order's delta time, a quoted timestamp
	// The values below differ from order to order in a real feed (names,
	// addresses, codes, prices, times), so a page of them is not one
	// order's strings 250 times: json/v2 (go1.27) makes each string of a
	// document once per distinct text, and a page of copies would let the
	// hand-written client's strings all be cache hits.
	holeText      // text inside a string: "<n>." before the fixture's text
	holeAmount    // a decimal amount: another one with as many decimals
	holeLocalTime // VersaCommerce's "2013-03-19T12 =>39 =>51+01 =>00"
)

// vcTimeLayout is the layout of VersaCommerce's timestamps, in CET.
const vcTimeLayout = "2006-01-02T15 =>04 =>05+01 =>00"

var cet = time.FixedZone("CET", 3600)

// slot is one hole and the fixture's text it replaced.
type slot struct {
	hole
	text string
}

// template is one vendor order with its id, delta time and per-order values
// cut out, so that an order with any id and time can be appended without
// parsing or allocating.
type template struct {
	parts [][]byte // len(holes)+1 pieces around the holes
	holes []slot
}

// cut is one value of the fixture replaced by a hole: value inside the
// literal context (which pins it down, e.g. the order's "id" and not an
// item's), and how often the context must occur, so that a changed fixture
// fails loudly instead of silently serving one id for every order.
type cut struct {
	context string
	value   string
	hole    hole
	count   int
}

func newTemplate(raw []byte, cuts ...cut) (*template, error) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, err
	}
	s := compact.String()
	type at struct {
		pos, end int
		h        slot
	}
	var found []at
	for _, c := range cuts {
		if n := strings.Count(s, c.context); n != c.count {
			return nil, fmt.Errorf("fixture holds %q %d times, want %d", c.context, n, c.count)
		}
		in := strings.Index(c.context, c.value)
		if in < 0 {
			return nil, fmt.Errorf("%q is not in %q", c.value, c.context)
		}
		for off := 0; ; {
			i := strings.Index(s[off:], c.context)
			if i < 0 {
				break
			}
			found = append(found, at{off + i + in, off + i + in + len(c.value), slot{c.hole, c.value}})
			off += i + len(c.context)
		}
	}
	slices.SortFunc(found, func(a, b at) int { return a.pos - b.pos })
	t := &template{}
	last := 0
	for _, f := range found {
		t.parts = append(t.parts, []byte(s[last:f.pos]))
		t.holes = append(t.holes, f.h)
		last = f.end
	}
	t.parts = append(t.parts, []byte(s[last:]))
	return t, nil
}

// appendOrder appends the order with the given id and delta time. n picks
// the per-order values: 0 keeps the fixture's, any other n gives values of
// their own, the same for the same n.
func (t *template) appendOrder(buf []byte, id int64, at time.Time, n int64) []byte {
	for i, h := range t.holes {
		buf = append(buf, t.parts[i]...)
		switch {
		case h.hole == holeID:
			buf = strconv.AppendInt(buf, id, 10)
		case h.hole == holeTime:
			buf = append(buf, '"')
			buf = at.AppendFormat(buf, "2006-01-02T15:04:05+00:00")
			buf = append(buf, '"')
		case n == 0:
			buf = append(buf, h.text...)
		case h.hole == holeText:
			buf = strconv.AppendInt(buf, n, 10)
			buf = append(buf, '.')
			buf = append(buf, h.text...)
		case h.hole == holeAmount:
			buf = appendAmount(buf, n, h.text)
		case h.hole == holeLocalTime:
			buf = at.In(cet).AppendFormat(buf, vcTimeLayout)
		}
	}
	return append(buf, t.parts[len(t.parts)-1]...)
}

// appendAmount appends the n-th amount with as many decimals as text has:
// "15.94" gives 1.00 to 500.99.
func appendAmount(buf []byte, n int64, text string) []byte {
	buf = strconv.AppendInt(buf, 1+n%500, 10)
	_, frac, ok := strings.Cut(text, ".")
	if !ok {
		return buf
	}
	buf = append(buf, '.')
	for k := range len(frac) {
		d := byte('0')
		switch k {
		case 0:
			d += byte(n / 10 % 10)
		case 1:
			d += byte(n % 10)
		}
		buf = append(buf, d)
	}
	return buf
}

// firstOrder returns the raw first order of a fixture: the element of a
// top-level array, or of the array under key.
func firstOrder(path, key string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []json.RawMessage
	if key == "" {
		err = json.Unmarshal(raw, &list)
	} else {
		var obj map[string]json.RawMessage
		if err = json.Unmarshal(raw, &obj); err == nil {
			err = json.Unmarshal(obj[key], &list)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%s: no order", path)
	}
	return list[0], nil
}

// Templates from the vendors' documented payloads, quirks included.
var (
	templatesOnce sync.Once
	templatesErr  error
	attivitaTmpl  *template // attivita/testdata/orders.json[0]
	vcTmpl        *template // versacommerce/testdata/orders.json[0], {"order": ...}
	deltaTmpl     *template // inventorum/testdata/delta.json data[0]
)

func loadTemplates() error {
	templatesOnce.Do(func() {
		load := func(path, key string, cuts ...cut) *template {
			if templatesErr != nil {
				return nil
			}
			raw, err := firstOrder(path, key)
			if err != nil {
				templatesErr = err
				return nil
			}
			t, err := newTemplate(raw, cuts...)
			if err != nil {
				templatesErr = fmt.Errorf("%s: %w", path, err)
			}
			return t
		}
		attivitaTmpl = load("../../attivita/testdata/orders.json", "",
			cut{`"orderNumber":1001,`, "1001", holeID, 1})
		vcTmpl = load("../../versacommerce/testdata/orders.json", "",
			cut{`"id":100,`, "100", holeID, 1},
			cut{`"order_id":100,`, "100", holeID, 2},
			cut{`"code":"196-083-565"`, "196-083-565", holeText, 1},
			cut{`"created_at":"2013-03-19T12 =>39 =>51+01 =>00"`, "2013-03-19T12 =>39 =>51+01 =>00", holeLocalTime, 1},
			cut{`"support@versacommerce.de"`, "support@versacommerce.de", holeText, 4},
			cut{`"city":"Welver"`, "Welver", holeText, 2},
			cut{`"firstname":"Eduard"`, "Eduard", holeText, 2},
			cut{`"lastname":"Siebert"`, "Siebert", holeText, 2},
			cut{`"phone":"+49 511 1659 800"`, "+49 511 1659 800", holeText, 2},
			cut{`"street":"Zwischen Den Hölzern"`, "Zwischen Den Hölzern", holeText, 2},
			cut{`"streetnumber":"1a"`, "1a", holeText, 2},
			cut{`"zipcode":"59514"`, "59514", holeText, 2},
			cut{`"item_total":"8.49"`, "8.49", holeAmount, 1},
			cut{`"standard_tax_amount":"2.55"`, "2.55", holeAmount, 1},
			cut{`"15.94"`, "15.94", holeAmount, 3})
		deltaTmpl = load("../../inventorum/testdata/delta.json", "data",
			cut{`"id":8791312,`, "8791312", holeID, 1},
			cut{`"2017-12-12T14:49:22+00:00"`, `"2017-12-12T14:49:22+00:00"`, holeTime, 2},
			cut{`"invoice_number":"630"`, "630", holeText, 1},
			cut{`_-630.p`, "630", holeText, 2},
			cut{`"price":"5.8739495798"`, "5.8739495798", holeAmount, 1},
			cut{`"gross_price":"69.90"`, "69.90", holeAmount, 1},
			cut{`"138.6000000000"`, "138.6000000000", holeAmount, 2})
	})
	return templatesErr
}

// server is the loopback server every benchmark talks to. It counts the
// TCP connections it accepts and the requests it answers.
type server struct {
	*httptest.Server
	newConns atomic.Int64
	requests atomic.Int64

	attivitaOrder []byte // GET /attivita/api/orders/1001
	vcOrder       []byte // GET /vc/api/orders/100.json
	vcPage        []byte // GET /vc/api/orders.json?limit=250
	deltaFirst    []byte // GET /inv/api/orders/delta/?limit=100&page=0 (no start_date)
	feedSize      int    // orders in the delta feed

	bufs sync.Pool
}

// newServer starts a loopback server whose Inventorum delta feed holds
// feedSize orders (at least one page).
func newServer(tb testing.TB, feedSize int) *server {
	tb.Helper()
	if err := loadTemplates(); err != nil {
		tb.Fatal(err)
	}
	if feedSize < deltaPageSize {
		tb.Fatalf("feed of %d orders is smaller than a page", feedSize)
	}
	s := &server{feedSize: feedSize}
	s.bufs.New = func() any { return new([]byte) }

	s.attivitaOrder = attivitaTmpl.appendOrder(nil, attivitaOrderNumber, feedStart, 0)
	// Get answers {"order": ...} as the list does; the fixture's list
	// element is exactly that shape.
	s.vcOrder = vcTmpl.appendOrder(nil, vcOrderID, feedStart, 0)
	page := []byte{'['}
	for i := range vcPageSize {
		if i > 0 {
			page = append(page, ',')
		}
		page = vcTmpl.appendOrder(page, int64(i+1), feedStart.Add(time.Duration(i)*feedStep), int64(i+1))
	}
	s.vcPage = append(page, ']')
	s.deltaFirst = s.appendDelta(nil, 0, 0, deltaPageSize)

	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

// Base URLs of the three APIs on the server.
func (s *server) attivitaURL() string   { return s.URL + "/attivita" }
func (s *server) vcURL() string         { return s.URL + "/vc/api" }
func (s *server) inventorumURL() string { return s.URL + "/inv/api" }

// The URLs the bare net/http sides (impl=handwritten and impl=sdktypes)
// ask, one set for both, the same the clients build.

func (s *server) attivitaOrderURL(number int64) string {
	return s.attivitaURL() + "/api/orders/" + strconv.FormatInt(number, 10)
}

func (s *server) vcOrderURL(id int64) string {
	return s.vcURL() + "/orders/" + strconv.FormatInt(id, 10) + ".json"
}

func (s *server) vcPageURL() string {
	return s.vcURL() + "/orders.json?limit=" + strconv.Itoa(vcPageSize)
}

// deltaURL asks the first page of deltaPageSize iPad orders from start (none
// for the feed's beginning).
func (s *server) deltaURL(start time.Time) string {
	q := url.Values{}
	if !start.IsZero() {
		q.Set("start_date", start.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	q.Set("limit", strconv.Itoa(deltaPageSize))
	q.Set("page", "0")
	q.Set("channel", "ipad")
	return s.inventorumURL() + "/orders/delta/?" + q.Encode()
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if r.Method != http.MethodGet {
		http.Error(w, `{"error":"method"}`, http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/attivita/api/orders/"+strconv.Itoa(attivitaOrderNumber):
		if r.Header.Get("Authorization") != "Bearer "+attivitaToken {
			http.Error(w, `{"message":"Unauthorized"}`, http.StatusUnauthorized)
			return
		}
		writeJSON(w, s.attivitaOrder)
	case p == "/vc/api/orders/"+strconv.Itoa(vcOrderID)+".json":
		if u, pw, ok := r.BasicAuth(); !ok || u != vcKey || pw != vcPassword {
			http.Error(w, `{"errors":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		writeJSON(w, s.vcOrder)
	case p == "/vc/api/orders/"+strconv.Itoa(vcFailingID)+".json":
		// The order whose every read fails: the connections test's 1 %.
		http.Error(w, `{"errors":"internal error"}`, http.StatusInternalServerError)
	case p == "/vc/api/orders/"+strconv.Itoa(vcBrokenID)+".json":
		// The order whose every answer breaks off mid-body, the
		// connection closed under it.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "4096")
		_, _ = w.Write([]byte(`{"order":{"id":`))
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	case p == "/vc/api/orders.json":
		if u, pw, ok := r.BasicAuth(); !ok || u != vcKey || pw != vcPassword {
			http.Error(w, `{"errors":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("limit") != strconv.Itoa(vcPageSize) {
			http.Error(w, `{"errors":"this server answers limit=250 only"}`, http.StatusBadRequest)
			return
		}
		writeJSON(w, s.vcPage)
	case p == "/inv/api/orders/delta/":
		if r.Header.Get("Authorization") != "Bearer "+inventorumToken || r.Header.Get("X-Api-Version") == "" {
			http.Error(w, `{"error":{"description":"Unauthorized"}}`, http.StatusUnauthorized)
			return
		}
		s.serveDelta(w, r)
	default:
		http.NotFound(w, r)
	}
}

// serveDelta computes the asked page of the feed from the template: the
// server keeps no orders, only one pooled buffer per request in flight.
func (s *server) serveDelta(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, page := deltaPageSize, 0
	var err error
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > deltaPageSize {
			http.Error(w, `{"error":{"description":"bad limit"}}`, http.StatusBadRequest)
			return
		}
	}
	if v := q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 0 {
			http.Error(w, `{"error":{"description":"bad page"}}`, http.StatusBadRequest)
			return
		}
	}
	// Every order is an iPad sale; the other channels are empty.
	if ch := q.Get("channel"); ch != "" && ch != "ipad" {
		writeJSON(w, []byte(`{"total":0,"data":[]}`))
		return
	}
	first := 0 // index of the first order at or after start_date
	if v := q.Get("start_date"); v != "" {
		start, err := time.Parse("2006-01-02T15:04:05.000Z", v)
		if err != nil {
			http.Error(w, `{"error":{"description":"bad start_date"}}`, http.StatusBadRequest)
			return
		}
		if d := start.Sub(feedStart); d > 0 {
			first = int((d + feedStep - 1) / feedStep)
		}
	}
	if first == 0 && page == 0 && limit == deltaPageSize {
		writeJSON(w, s.deltaFirst)
		return
	}
	bp := s.bufs.Get().(*[]byte)
	*bp = s.appendDelta((*bp)[:0], first, page, limit)
	writeJSON(w, *bp)
	s.bufs.Put(bp)
}

// appendDelta appends the delta page of orders first+page*limit onwards,
// start_date inclusive, ordered by (delta time, id).
func (s *server) appendDelta(buf []byte, first, page, limit int) []byte {
	total := max(s.feedSize-first, 0)
	from := first + page*limit
	to := min(from+limit, s.feedSize)
	buf = append(buf, `{"total":`...)
	buf = strconv.AppendInt(buf, int64(total), 10)
	buf = append(buf, `,"data":[`...)
	for i := from; i < to; i++ {
		if i > from {
			buf = append(buf, ',')
		}
		buf = deltaTmpl.appendOrder(buf, deltaOrderID(i), feedStart.Add(time.Duration(i)*feedStep), int64(i+1))
	}
	return append(buf, "]}"...)
}

// deltaOrderID is the id of the i-th order of the feed.
func deltaOrderID(i int) int64 { return 9_000_000 + int64(i) }

func writeJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	_, _ = w.Write(body)
}
