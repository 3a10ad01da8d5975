package inventorum

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// callCase is one method of the client with the endpoint it calls and an
// answer that satisfies it.
type callCase struct {
	name, method, path, body string
	call                     func(c *Client, ctx context.Context, opts ...orderkit.CallOption) error
}

func drain(seq iter.Seq2[Order, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

var callCases = []callCase{
	{"Delta", "GET", "/orders/delta/", `{"total": 0, "data": []}`, func(c *Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Orders.Delta(ctx, &DeltaOptions{}, opts...)
		return err
	}},
	{"DeltaAll", "GET", "/orders/delta/", `{"total": 0, "data": []}`, func(c *Client, ctx context.Context, opts ...orderkit.CallOption) error {
		return drain(c.Orders.DeltaAll(ctx, &DeltaOptions{}, opts...))
	}},
	{"List", "GET", "/orders/", `{"total": 0, "data": []}`, func(c *Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Orders.List(ctx, &ListOptions{Start: day, End: day}, opts...)
		return err
	}},
	{"All", "GET", "/orders/", `{"total": 0, "data": []}`, func(c *Client, ctx context.Context, opts ...orderkit.CallOption) error {
		return drain(c.Orders.All(ctx, &ListOptions{Start: day, End: day}, opts...))
	}},
	{"Sync", "GET", "/orders/delta/", `{"total": 0, "data": []}`, func(c *Client, ctx context.Context, opts ...orderkit.CallOption) error {
		return drain(c.Orders.Sync(ctx, &DeltaCheckpoint{}, &SyncOptions{Channels: Channels[:1]}, opts...))
	}},
	{"Basket.Create", "POST", "/basket/", `{"id": 5, "state": "01"}`, func(c *Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Basket.Create(ctx, docBasket(), opts...)
		return err
	}},
}

func TestCallOptions(t *testing.T) {
	ctx := context.Background()
	for _, tc := range callCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Run("header", func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterResponder(tc.method, base+tc.path, jsonResponder(t, 200, tc.body, func(r *http.Request) {
					assert.Equal(t, "run-7", r.Header.Get("X-Trace"))
					assert.Equal(t, "11", r.Header.Get("X-Api-Version"))
				}))
				require.NoError(t, tc.call(c, ctx, orderkit.CallHeader("X-Trace", "run-7"), orderkit.CallHeader("X-Api-Version", "11")))
				assert.Equal(t, 1, mock.GetTotalCallCount())
			})
			t.Run("capture on success", func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterResponder(tc.method, base+tc.path, func(r *http.Request) (*http.Response, error) {
					resp := httpmock.NewStringResponse(200, tc.body)
					resp.Header.Set("Content-Type", "application/json")
					resp.Header.Set("x-rid", "rid-42")
					return resp, nil
				})
				var meta orderkit.Response
				require.NoError(t, tc.call(c, ctx, orderkit.CaptureResponse(&meta)))
				assert.Equal(t, 200, meta.StatusCode)
				assert.Equal(t, "rid-42", meta.RequestID)
				assert.Equal(t, 1, meta.Attempts)
				assert.Equal(t, "application/json", meta.Header.Get("Content-Type"))
			})
			t.Run("capture on error", func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterResponder(tc.method, base+tc.path, func(r *http.Request) (*http.Response, error) {
					resp := httpmock.NewStringResponse(404, `{"detail": "Not found."}`)
					resp.Header.Set("x-rid", "rid-404")
					return resp, nil
				})
				var meta orderkit.Response
				err := tc.call(c, ctx, orderkit.CaptureResponse(&meta))
				require.ErrorIs(t, err, orderkit.ErrNotFound)
				assert.Equal(t, 404, meta.StatusCode)
				assert.Equal(t, "rid-404", meta.RequestID)
				var e *orderkit.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, "rid-404", e.RequestID)
			})
			t.Run("no retry", func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterResponder(tc.method, base+tc.path, jsonResponder(t, 503, `{"detail": "busy"}`, func(r *http.Request) {}))
				err := tc.call(c, ctx, orderkit.NoRetry())
				require.ErrorIs(t, err, orderkit.ErrServer)
				assert.Equal(t, 1, mock.GetTotalCallCount(), "sent once")
				if tc.method == "GET" {
					// Without NoRetry the client's two retries apply.
					mock.ZeroCallCounters()
					require.ErrorIs(t, tc.call(c, ctx), orderkit.ErrServer)
					assert.Equal(t, 3, mock.GetTotalCallCount())
				}
			})
			t.Run("timeout", func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterResponder(tc.method, base+tc.path, func(r *http.Request) (*http.Response, error) {
					<-r.Context().Done()
					return nil, r.Context().Err()
				})
				err := tc.call(c, ctx, orderkit.CallTimeout(20*time.Millisecond), orderkit.NoRetry())
				require.Error(t, err)
				assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
			})
			t.Run("nil option", func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
				err := tc.call(c, ctx, orderkit.NoRetry(), orderkit.CallOption{})
				require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
				assert.Contains(t, err.Error(), "call option 2 is the zero orderkit.CallOption")
				assert.True(t, strings.HasPrefix(err.Error(), "inventorum: "), err.Error())
				assert.Equal(t, 0, mock.GetTotalCallCount())
			})
		})
	}
}

// The iterators apply the call options to every page they ask for.
func TestIteratorsApplyCallOptionsToEveryPage(t *testing.T) {
	ctx := context.Background()
	full := func(page string, n int) string {
		var b strings.Builder
		b.WriteString(`{"total": 150, "data": [`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			pg, _ := strconv.Atoi(page)
			b.WriteString(`{"id": ` + ID((pg+1)*10000+i).String() + `}`)
		}
		b.WriteString("]}")
		return b.String()
	}
	c, mock := newMock(t)
	pages := 0
	mock.RegisterResponder("GET", base+"/orders/delta/", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "every-page", r.Header.Get("X-Trace"))
		pages++
		n := 100
		if r.URL.Query().Get("page") == "1" {
			n = 50
		}
		resp := httpmock.NewStringResponse(200, full(r.URL.Query().Get("page"), n))
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	count := 0
	for _, err := range c.Orders.DeltaAll(ctx, &DeltaOptions{}, orderkit.CallHeader("X-Trace", "every-page")) {
		require.NoError(t, err)
		count++
	}
	assert.Equal(t, 150, count)
	assert.Equal(t, 2, pages)

	mock.RegisterResponder("GET", base+"/orders/", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "every-page", r.Header.Get("X-Trace"))
		n := 40
		if r.URL.Query().Get("page") == "4" {
			n = 30
		}
		resp := httpmock.NewStringResponse(200, full(r.URL.Query().Get("page"), n))
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	count = 0
	for _, err := range c.Orders.All(ctx, &ListOptions{Start: day, End: day}, orderkit.CallHeader("X-Trace", "every-page")) {
		require.NoError(t, err)
		count++
	}
	assert.Equal(t, 150, count)
}

// Pages come as the documented {"total", "data"}, as {"results"} and as a
// bare array.
func TestPageEnvelopes(t *testing.T) {
	ctx := context.Background()
	for name, body := range map[string]string{
		"data":    `{"total": 2, "data": [{"id": 1}, {"id": "2"}]}`,
		"results": `{"total": "2", "results": [{"id": 1}, {"id": 2}]}`,
		"bare":    ` [{"id": 1}, {"id": 2}]`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMock(t)
			mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 200, body, nil))
			p, err := c.Orders.Delta(ctx, &DeltaOptions{})
			require.NoError(t, err)
			assert.Equal(t, []ID{1, 2}, []ID{p.Data[0].ID, p.Data[1].ID})
			if name == "bare" {
				assert.EqualValues(t, 0, p.Total, "unknown")
			} else {
				assert.EqualValues(t, 2, p.Total)
			}
		})
	}
	for _, body := range []string{``, `  `, `"orders"`, `{"data": {}}`, `[{"id": 1}`, `{"data": [{"id": "x"}]}`} {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 200, body, nil))
		var meta orderkit.Response
		_, err := c.Orders.Delta(ctx, &DeltaOptions{}, orderkit.CaptureResponse(&meta))
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse, "%q", body)
		assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e, "%q", body)
		assert.Equal(t, 200, e.StatusCode)
		assert.Equal(t, 200, meta.StatusCode)
	}
}
