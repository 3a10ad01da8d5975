package adility_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
				require.ErrorIs(t, err, adility.ErrInvalidResponse)
				require.ErrorIs(t, err, adility.ErrOutcomeUnknown, "the order may exist: look it up")
				assert.Equal(t, 1, mock.GetTotalCallCount())
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
				require.ErrorIs(t, err, adility.ErrInvalidResponse)
				assert.NotErrorIs(t, err, adility.ErrOutcomeUnknown, "a GET places nothing")
			})
		}
	}
}
