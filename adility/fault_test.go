package adility_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/internal/fakehttp"
)

func TestPlaceUnderFaults(t *testing.T) {
	for name, tc := range map[string]struct {
		fault    fakehttp.Fault
		want     []error
		attempts int
		placed   int
	}{
		"reset after read": {fakehttp.Fault{Kind: fakehttp.DropAfterReading}, []error{adility.ErrOutcomeUnknown}, 1, 0},
		"cut body":         {fakehttp.Fault{Kind: fakehttp.CutBody}, []error{adility.ErrInvalidResponse, adility.ErrOutcomeUnknown}, 1, 0},
		"proxy html 502":   {fakehttp.HTMLError(), []error{adility.ErrServer, adility.ErrOutcomeUnknown}, 1, 0},
		"empty 200":        {fakehttp.EmptyOK(), []error{adility.ErrInvalidResponse, adility.ErrOutcomeUnknown}, 1, 0},
		"huge 200":         {fakehttp.Fault{Kind: fakehttp.Huge}, []error{adility.ErrResponseTooLarge, adility.ErrOutcomeUnknown}, 1, 0},
		"503 retry-after":  {fakehttp.Unavailable(), nil, 2, 1},
		"429 retry-after":  {fakehttp.RateLimited(), nil, 2, 1},
	} {
		t.Run(name, func(t *testing.T) {
			fake := adilitytest.NewServer(adilitytest.APIKey)
			fs := fakehttp.NewLoopback(fake)
			defer fs.Close()
			c, err := adility.NewClient(adilitytest.APIKey, adility.WithBaseURL(adilitytest.BaseURL(fs.URL)), adility.WithRetry(2, 0, time.Millisecond))
			require.NoError(t, err)
			fs.Next(tc.fault)
			_, err = c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: "f-1", CustomerName: "J",
				Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}})
			if tc.want == nil {
				require.NoError(t, err)
			}
			for _, w := range tc.want {
				assert.ErrorIs(t, err, w)
			}
			assert.Equal(t, tc.attempts, fs.Count(http.MethodPost, "/orders"), "POST sent")
			assert.Len(t, fake.Orders(), tc.placed)
		})
	}
}

func TestGetUnderFaultsIsRetried(t *testing.T) {
	for _, f := range []fakehttp.Fault{{Kind: fakehttp.DropAfterReading}, fakehttp.HTMLError(), fakehttp.Unavailable()} {
		fake := adilitytest.NewServer(adilitytest.APIKey)
		fs := fakehttp.NewLoopback(fake)
		c, err := adility.NewClient(adilitytest.APIKey, adility.WithBaseURL(adilitytest.BaseURL(fs.URL)), adility.WithFormat(adility.XML), adility.WithRetry(2, 0, time.Millisecond))
		require.NoError(t, err)
		o, err := c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: "g-1", CustomerName: "J",
			Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}})
		require.NoError(t, err)
		fs.Next(f)
		got, err := c.Orders.Get(context.Background(), o.ID)
		require.NoError(t, err)
		assert.Equal(t, o.ID, got.ID)
		assert.Equal(t, 2, fs.Count(http.MethodGet, "/orders/"+o.ID))
		fs.Close()
	}
}
