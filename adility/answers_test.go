package adility_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
)

// A 2xx answer that names no order must not pass for a placed order: the
// caller would see success, no vouchers and no id to look the order up by.
var answersWithoutOrder = map[adility.Format]map[string]string{
	adility.JSON: {
		"empty object":  `{}`,
		"null order":    `{"order":null}`,
		"empty order":   `{"order":{}}`,
		"only a status": `{"status":"ok"}`,
	},
	adility.XML: {
		"proxy page":  `<html><body>OK</body></html>`,
		"empty order": `<order/>`,
		"other root":  `<ok/>`,
	},
}

func TestPlaceAnswerWithoutOrder(t *testing.T) {
	for _, tf := range formats {
		for name, body := range answersWithoutOrder[tf.f] {
			t.Run(tf.name+"/"+name, func(t *testing.T) {
				c, mock := newMocked(t, tf.f)
				mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(201, tf.mime, body))
				o, err := c.Orders.Place(context.Background(), samplePlace(tf.f))
				assert.Nil(t, o)
				require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
				require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the order may exist: look it up")
				assert.Equal(t, 1, mock.GetTotalCallCount())
				var lost *orderkit.LostCreateError
				require.ErrorAs(t, err, &lost)
				answered, _ := adility.Evidence(lost)
				assert.Equal(t, 201, answered)

				// The 2xx placed it: Resolve must not send it again.
				res, err := c.Orders.Resolve(context.Background(), err)
				require.NoError(t, err)
				assert.Equal(t, orderkit.Unresolvable, res.State)
				assert.ErrorIs(t, res.Err(), adility.ErrPlacedUnreadable)
				assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+testBase+"/orders"], "not sent again")
			})
		}
	}
}

// A 2xx without a body at all (204, or an empty 200) also says the Place
// was carried out: it is a lost answer that Resolve never sends again.
func TestPlaceAnswerWithoutBody(t *testing.T) {
	for _, tf := range formats {
		for _, status := range []int{http.StatusOK, http.StatusCreated, http.StatusNoContent} {
			t.Run(tf.name+"/"+http.StatusText(status), func(t *testing.T) {
				c, mock := newMocked(t, tf.f)
				mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(status, tf.mime, ""))
				o, err := c.Orders.Place(context.Background(), samplePlace(tf.f))
				assert.Nil(t, o)
				require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
				var lost *orderkit.LostCreateError
				require.ErrorAs(t, err, &lost)
				answered, orderID := adility.Evidence(lost)
				assert.Equal(t, status, answered)
				assert.Empty(t, orderID)

				res, err := c.Orders.Resolve(context.Background(), err)
				require.NoError(t, err)
				assert.Equal(t, orderkit.Unresolvable, res.State)
				assert.Equal(t, 0, res.Lookups)
				assert.ErrorIs(t, res.Err(), adility.ErrPlacedUnreadable)
				assert.Equal(t, 1, mock.GetTotalCallCount(), "not sent again")
			})
		}
	}
}

// Get reads the page's all-placeholder sample (see
// TestGetDecodesThePageSample) but not an answer that is no order at all.
var getAnswersWithoutOrder = map[adility.Format]map[string]string{
	adility.JSON: {
		"empty object": `{}`,
		"null order":   `{"order":null}`,
		"empty order":  `{"order":{}}`,
		"other keys":   `{"ok":true}`,
	},
	adility.XML: {
		"proxy page": `<html><body>OK</body></html>`,
		"other root": `<ok/>`,
	},
}

func TestGetAnswerWithoutOrder(t *testing.T) {
	for _, tf := range formats {
		for name, body := range getAnswersWithoutOrder[tf.f] {
			t.Run(tf.name+"/"+name, func(t *testing.T) {
				c, mock := newMocked(t, tf.f)
				mock.RegisterResponder(http.MethodGet, testBase+"/orders/42", respond(200, tf.mime, body))
				o, err := c.Orders.Get(context.Background(), "42")
				assert.Nil(t, o)
				require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
				assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "a GET places nothing")
			})
		}
	}
}
