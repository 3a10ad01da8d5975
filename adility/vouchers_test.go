package adility_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
)

func TestVoucherGetByRedemptionCode(t *testing.T) {
	for _, tf := range formats {
		for name, answer := range map[string]string{
			"wrapped":  `{"voucher":{"id":4711,"offer_id":"of-1","redemption_code":"AD 7/K","status":"REDEEMED","redeemed_at":"2012-02-01 09:00:00","print_url":"https://p/1","batch":"B-9"}}`,
			"bare":     `{"id":"4711","offer_id":"of-1","redemption_code":"AD 7/K","status":"redeemed","redeemed_at":"2012-02-01T09:00:00Z","print_url":"https://p/1","batch":"B-9"}`,
			"xml":      `<?xml version="1.0" encoding="ISO-8859-1"?><voucher><id>4711</id><offer_id>of-1</offer_id><redemption_code>AD 7/K</redemption_code><status>Redeemed</status><redeemed_at>2012-02-01 09:00:00</redeemed_at><print_url>https://p/1</print_url><batch>B-9</batch></voucher>`,
			"xml root": `<response><voucher><id>4711</id><offer_id>of-1</offer_id><redemption_code>AD 7/K</redemption_code><status>redeemed</status><redeemed_at>2012-02-01T09:00:00Z</redeemed_at><print_url>https://p/1</print_url><batch>B-9</batch></voucher></response>`,
		} {
			if (tf.f == adility.XML) != (answer[0] == '<') {
				continue
			}
			t.Run(tf.name+"/"+name, func(t *testing.T) {
				c, mock := newMocked(t, tf.f)
				mock.RegisterResponder(http.MethodGet, testBase+"/advertisers/adv%201/vouchers/AD%207%2FK", func(r *http.Request) (*http.Response, error) {
					checkHeaders(t, r, tf.mime, false)
					assert.Equal(t, "/distribution/beta/advertisers/adv%201/vouchers/AD%207%2FK", r.URL.EscapedPath())
					return respond(200, tf.mime, answer)(r)
				})
				v, err := c.Vouchers.GetByRedemptionCode(context.Background(), "adv 1", "AD 7/K")
				require.NoError(t, err)
				assert.Equal(t, adility.ID("4711"), v.ID)
				assert.Equal(t, adility.ID("of-1"), v.OfferID)
				assert.Equal(t, "AD 7/K", v.RedemptionCode)
				assert.Equal(t, adility.VoucherRedeemed, v.Status)
				assert.Equal(t, utc("2012-02-01T09:00:00Z"), v.RedeemedAt)
				assert.Equal(t, "https://p/1", v.PrintURL)
				if tf.f == adility.XML {
					assert.Equal(t, map[string]string{"batch": "B-9"}, v.Unknown)
				} else {
					assert.Equal(t, map[string]string{"batch": `"B-9"`}, v.Unknown)
				}
			})
		}
	}
}

func TestVoucherGetByRedemptionCodeErrors(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	_, err := c.Vouchers.GetByRedemptionCode(context.Background(), "", "R")
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Vouchers.GetByRedemptionCode(context.Background(), "a", " ")
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 0, mock.GetTotalCallCount())

	mock.RegisterResponder(http.MethodGet, testBase+"/advertisers/a/vouchers/gone", respond(404, "application/json", `{"error":"Voucher not found"}`))
	mock.RegisterResponder(http.MethodGet, testBase+"/advertisers/a/vouchers/empty", respond(200, "application/json", `{}`))
	mock.RegisterResponder(http.MethodGet, testBase+"/advertisers/a/vouchers/html", respond(200, "text/html", `<html>login</html>`))
	_, err = c.Vouchers.GetByRedemptionCode(context.Background(), "a", "gone")
	require.ErrorIs(t, err, orderkit.ErrNotFound)
	for _, code := range []string{"empty", "html"} {
		v, err := c.Vouchers.GetByRedemptionCode(context.Background(), "a", code)
		assert.Nil(t, v)
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse, code)
		assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "a read")
	}
}

// The fake serves the lookup for the vouchers it issued, under its one
// advertiser.
func TestFakeVoucherByRedemptionCode(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, fake := newFake(t, tf.f)
			o, err := c.Orders.Place(context.Background(), lostRequest("code-1"))
			require.NoError(t, err)
			want := o.Vouchers()[1]
			v, err := c.Vouchers.GetByRedemptionCode(context.Background(), adilitytest.DemoAdvertiserID, want.RedemptionCode)
			require.NoError(t, err)
			assert.Equal(t, want, *v)
			_, err = c.Vouchers.GetByRedemptionCode(context.Background(), "other-advertiser", want.RedemptionCode)
			require.ErrorIs(t, err, orderkit.ErrNotFound)
			_, err = c.Vouchers.GetByRedemptionCode(context.Background(), adilitytest.DemoAdvertiserID, "no-such-code")
			require.ErrorIs(t, err, orderkit.ErrNotFound)
			assert.Equal(t, 1, fake.Count(http.MethodGet, "/advertisers/"+adilitytest.DemoAdvertiserID+"/vouchers/"+want.RedemptionCode))
		})
	}
}
