package inventorum

import (
	"context"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The lookup after a lost basket: one delta request per channel, with
// X-Api-Version 11 (pending orders show), from the send on the server's
// clock, carrying the call's headers; CaptureResponse keeps the POST's
// answer.
func TestLookupRequests(t *testing.T) {
	c, mock := newMock(t)
	server := time.Now().Add(3 * time.Hour).UTC() // the server's clock runs ahead
	mock.RegisterResponder("POST", base+"/basket/", func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(502, "<html>bad gateway</html>")
		resp.Header.Set("Date", server.Format(http.TimeFormat))
		resp.Header.Set("x-rid", "post-rid")
		return resp, nil
	})
	var channels []string
	mock.RegisterResponder("GET", base+"/orders/delta/", func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		channels = append(channels, q.Get("channel"))
		assert.Equal(t, "11", r.Header.Get("X-Api-Version"))
		assert.Equal(t, "run-9", r.Header.Get("X-Trace"))
		assert.Equal(t, "0", q.Get("page"))
		assert.Equal(t, "100", q.Get("limit"))
		start, err := time.Parse(deltaTimeLayout, q.Get("start_date"))
		require.NoError(t, err)
		assert.WithinDuration(t, server.Add(-dateSlack), start, 2*time.Second, "from the send, on the server's clock")
		// Another customer's basket, PENDING: the feed shows new baskets.
		at := server.Format(time.RFC3339)
		resp := httpmock.NewStringResponse(200, `{"total": 1, "data": [{"id": 1, "state": 2, "channel": "backoffice", "customer": {"id": 999}, "time_added": "`+at+`", "completed_at": "`+at+`"}]}`)
		resp.Header.Set("Content-Type", "application/json")
		resp.Header.Set("Date", server.Format(http.TimeFormat))
		return resp, nil
	})
	var meta orderkit.Response
	_, err := c.Basket.Create(context.Background(), docBasket(), orderkit.ResolveOutcome(), orderkit.CallHeader("X-Trace", "run-9"), orderkit.CaptureResponse(&meta))
	require.ErrorIs(t, err, orderkit.ErrNotCreated)
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, orderkit.NotCreated, oe.State)
	assert.Equal(t, 7, oe.Lookups)
	assert.Equal(t, server.Truncate(time.Second), oe.AsOf)
	assert.False(t, oe.SafeToResend)
	want := make([]string, len(Channels))
	for i, ch := range Channels {
		want[i] = string(ch)
	}
	assert.Equal(t, want, channels)
	assert.Equal(t, 502, meta.StatusCode, "the POST's answer")
	assert.Equal(t, "post-rid", meta.RequestID)
}

// Without any Date header the lookup starts two minutes before the send
// on the client's clock; finding nothing, it cannot tell NotCreated: the
// server's clock may be off by more than the window.
func TestLookupWithoutDate(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("POST", base+"/basket/", httpmock.NewErrorResponder(syscall.ECONNRESET))
	sent := time.Now().UTC()
	mock.RegisterResponder("GET", base+"/orders/delta/", func(r *http.Request) (*http.Response, error) {
		start, err := time.Parse(deltaTimeLayout, r.URL.Query().Get("start_date"))
		require.NoError(t, err)
		assert.WithinDuration(t, sent.Add(-noDateSlack), start, time.Second)
		resp := httpmock.NewStringResponse(200, `{"total": 0, "data": []}`)
		resp.Header.Del("Date")
		return resp, nil
	})
	_, err := c.Basket.Create(context.Background(), docBasket())
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	res, err := c.Basket.Resolve(context.Background(), err)
	require.NoError(t, err)
	assert.Equal(t, orderkit.Ambiguous, res.State, "the server's clock is not known")
	assert.False(t, res.SafeToResend)
	assert.Equal(t, 7, res.Lookups)
	assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+base+"/basket/"])
}

// The lookup reads every page of a busy channel, with pages counted from 0
// (the delta page) or from 1 (the main reference), and finds the basket on
// the last one.
func TestLookupPages(t *testing.T) {
	for _, fromOne := range []bool{false, true} {
		c, mock := newMock(t)
		mock.RegisterResponder("POST", base+"/basket/", httpmock.NewErrorResponder(syscall.ECONNRESET))
		now := time.Now().UTC()
		order := func(id int, basket bool) string {
			ts := now.Add(time.Duration(id) * time.Millisecond).Format(time.RFC3339Nano)
			items, note := `[{"product": 1, "quantity": 1}]`, "internal note"
			if basket {
				items, note = `[{"product": 7890302, "quantity": 1}]`, "ERP-9"
			}
			return `{"id": ` + ID(id).String() + `, "customer": {"id": 494}, "basket": {"note_internal": "` + note + `", "note_external": "external note", "items": ` + items + `}, "time_added": "` + ts + `"}`
		}
		requests := 0
		mock.RegisterResponder("GET", base+"/orders/delta/", func(r *http.Request) (*http.Response, error) {
			requests++
			body := `{"total": 0, "data": []}`
			if r.URL.Query().Get("channel") == "shop" {
				page := 0
				switch r.URL.Query().Get("page") {
				case "1":
					page = 1
				case "2":
					page = 2
				}
				if fromOne && page > 0 {
					page--
				}
				var data []string
				for i := page * 100; i < 150 && i < page*100+100; i++ {
					data = append(data, order(1000+i, i == 120))
				}
				body = `{"total": 150, "data": [` + strings.Join(data, ",") + `]}`
			}
			resp := httpmock.NewStringResponse(200, body)
			resp.Header.Set("Date", now.Format(http.TimeFormat))
			return resp, nil
		})
		req := docBasket()
		req.NoteInternal = ""
		_, err := c.Basket.Create(context.Background(), req, orderkit.Reference("ERP-9"), orderkit.ResolveOutcome())
		require.NoError(t, err, "pages from one: %v", fromOne)
		// 6 empty channels; shop's two pages twice (a feed of more than
		// one page is read until two reads agree).
		want := 6 + 2*2
		if fromOne {
			want = 6 + 2*3 // page 1 repeats page 0
		}
		assert.Equal(t, want, requests, "pages from one: %v", fromOne)
	}
}
