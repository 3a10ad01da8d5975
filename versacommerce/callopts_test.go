package versacommerce_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callMethods calls every method of the order service once with opts and
// returns the error (for All: the first one yielded).
func callMethods(t *testing.T, c *versacommerce.Client, fake *versacommercetest.Server) map[string]func(context.Context, ...orderkit.CallOption) error {
	t.Helper()
	id := versacommerce.ID(fake.AddOrder(versacommercetest.Order{Note: "n", Items: []versacommercetest.Item{{ProductID: 1, Quantity: 1}}}).ID)
	return map[string]func(context.Context, ...orderkit.CallOption) error{
		"List": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Orders.List(ctx, nil, o...)
			return err
		},
		"All": func(ctx context.Context, o ...orderkit.CallOption) error {
			for _, err := range c.Orders.All(ctx, nil, o...) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"Get": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Orders.Get(ctx, id, nil, o...)
			return err
		},
		"Get with include": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Orders.Get(ctx, id, &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}}, o...)
			return err
		},
		"Count": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Orders.Count(ctx, nil, o...)
			return err
		},
		"Items": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Orders.Items(ctx, id, o...)
			return err
		},
		"Payments": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Orders.Payments(ctx, id, o...)
			return err
		},
		"Do": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Do(ctx, "GET", "orders/"+id.String()+"/shipments.json", nil, nil, o...)
			return err
		},
		"Create": func(ctx context.Context, o ...orderkit.CallOption) error {
			_, err := c.Orders.Create(ctx, minimalOrder(), o...)
			return err
		},
	}
}

func TestCallOptionsOnEveryMethod(t *testing.T) {
	c, fake, _ := newFake(t)
	for name, call := range callMethods(t, c, fake) {
		t.Run(name, func(t *testing.T) {
			before := len(fake.Requests())
			require.NoError(t, call(context.Background(), orderkit.CallHeader("X-Trace", "t-"+name)))
			reqs := fake.Requests()[before:]
			require.NotEmpty(t, reqs)
			for _, r := range reqs {
				assert.Equal(t, "t-"+name, r.Header.Get("X-Trace"), "on every request of the call")
				assert.Empty(t, r.Header.Get("Authorization"), "the fake keeps no credential")
			}

			// NoRetry: one request, although the client retries once.
			before = len(fake.Requests())
			fake.FailNext(503, "")
			err := call(context.Background(), orderkit.NoRetry())
			assert.ErrorIs(t, err, orderkit.ErrServer)
			assert.Len(t, fake.Requests()[before:], 1)

			// CallTimeout bounds the call.
			fake.DelayNext(10 * time.Second)
			err = call(context.Background(), orderkit.CallTimeout(20*time.Millisecond))
			assert.ErrorIs(t, err, context.DeadlineExceeded)

			// CaptureResponse, on success and on failure.
			var res orderkit.Response
			require.NoError(t, call(context.Background(), orderkit.CaptureResponse(&res)))
			assert.Contains(t, []int{200, 201}, res.StatusCode)
			assert.NotEmpty(t, res.Header.Get("Date"))
			assert.Regexp(t, `^req-\d+$`, res.RequestID)
			assert.Equal(t, 1, res.Attempts)
			fake.FailNext(404, `{"errors": {"base": ["not found"]}}`)
			res = orderkit.Response{}
			err = call(context.Background(), orderkit.CaptureResponse(&res))
			require.Error(t, err)
			assert.Equal(t, 404, res.StatusCode)
			assert.Regexp(t, `^req-\d+$`, res.RequestID)
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, res.RequestID, e.RequestID)

			// A nil call option is refused before anything is sent.
			before = len(fake.Requests())
			err = call(context.Background(), orderkit.CallOption{})
			assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			assert.Len(t, fake.Requests(), before, "nothing sent")
		})
	}
}

func TestResolveTakesCallOptions(t *testing.T) {
	c, fake, _ := newFake(t)
	fake.DropNextAfterActing()
	_, err := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("r-1"))
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	before := len(fake.Requests())
	var res orderkit.Response
	r, lerr := c.Orders.Resolve(context.Background(), err, orderkit.CallHeader("X-Trace", "resolve"), orderkit.CaptureResponse(&res))
	require.NoError(t, lerr)
	require.NotNil(t, r.Order)
	reqs := fake.Requests()[before:]
	require.Len(t, reqs, r.Lookups)
	for _, q := range reqs {
		assert.Equal(t, "resolve", q.Header.Get("X-Trace"))
	}
	assert.Equal(t, 200, res.StatusCode)
	_, lerr = c.Orders.Resolve(context.Background(), err, orderkit.CallOption{})
	assert.ErrorIs(t, lerr, orderkit.ErrInvalidArgument)
	assert.Len(t, fake.Requests(), before+len(reqs))
}
