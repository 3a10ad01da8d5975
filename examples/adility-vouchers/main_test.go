package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var (
	placedLine  = regexp.MustCompile(`(?m)^placed order (\S+) \(number (orderkit-\d{8}T\d{6}Z-[0-9a-f]{8})\): active$`)
	voucherLine = regexp.MustCompile(`(?m)^  voucher \S+  code AD-\d{4}-\d{4}  (Acquired|cancelled)  expires \d{4}-\d{2}-\d{2}  https://\S+$`)
)

func TestRunOnTheFake(t *testing.T) {
	for _, format := range []string{"", "xml"} {
		t.Run("format="+format, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"-quantity", "3", "-customer", "Jane Doe", "-cancel"},
				env(map[string]string{"ADILITY_FORMAT": format}), &out, &errOut)
			require.NoError(t, err, errOut.String())
			text := out.String()
			assert.Contains(t, errOut.String(), "running on the in-memory fake")

			m := placedLine.FindStringSubmatch(text)
			require.NotNil(t, m, text)
			id := m[1]
			vouchers := voucherLine.FindAllStringSubmatch(text, -1)
			require.Len(t, vouchers, 6, "3 vouchers placed, 3 shown cancelled:\n%s", text)
			for i, v := range vouchers {
				want := "Acquired"
				if i >= 3 {
					want = "cancelled"
				}
				assert.Equal(t, want, v[1])
			}
			assert.Contains(t, text, "read back order "+id+": active (open), 3 vouchers\n")
			assert.Contains(t, text, "cancelled order "+id+": cancelled (canceled)\n")
		})
	}
}

func TestRunWithoutCancel(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, env(nil), &out, &errOut))
	assert.Len(t, voucherLine.FindAllString(out.String(), -1), 1, "default quantity 1")
	assert.NotContains(t, out.String(), "cancelled")
}

func TestRunFreshOrderNumberEachRun(t *testing.T) {
	numbers := map[string]bool{}
	for range 3 {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), nil, env(nil), &out, &bytes.Buffer{}))
		m := placedLine.FindStringSubmatch(out.String())
		require.NotNil(t, m)
		numbers[m[2]] = true
	}
	assert.Len(t, numbers, 3)
}

// With a key, the program talks to ADILITY_BASE_URL: here a fake that
// accepts only its own key, so the key is shown to travel.
func TestRunWithCredentials(t *testing.T) {
	fake := adilitytest.NewServer()
	fake.AddOffer("deal-7")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-offer", "deal-7", "-quantity", "2"},
		env(map[string]string{"ADILITY_API_KEY": adilitytest.DefaultAPIKey, "ADILITY_BASE_URL": srv.URL, "ADILITY_FORMAT": "XML"}), &out, &errOut)
	require.NoError(t, err, errOut.String())
	assert.NotContains(t, errOut.String(), "fake")
	assert.Len(t, voucherLine.FindAllString(out.String(), -1), 2)
	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "xml", reqs[0].Format)
	assert.Equal(t, adilitytest.DefaultAPIKey, reqs[0].APIKey)
	assert.Contains(t, reqs[0].Body, "<offer_id>deal-7</offer_id>")
	assert.Equal(t, http.MethodGet, reqs[1].Method)
}

func TestRunErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
		want string
	}{
		"bad format":         {nil, map[string]string{"ADILITY_FORMAT": "yaml"}, "ADILITY_FORMAT"},
		"zero quantity":      {[]string{"-quantity", "0"}, nil, "quantity 0"},
		"offer with key":     {nil, map[string]string{"ADILITY_API_KEY": "k"}, "-offer is required"},
		"unknown flag":       {[]string{"-nope"}, nil, "flag provided but not defined"},
		"extra argument":     {[]string{"extra"}, nil, "unexpected arguments"},
		"plain http refused": {[]string{"-offer", "x"}, map[string]string{"ADILITY_API_KEY": "k", "ADILITY_BASE_URL": "http://example.invalid"}, "plain http"},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, env(tc.env), &out, &errOut)
			require.Error(t, err)
			assert.Contains(t, err.Error()+errOut.String(), tc.want)
			assert.NotContains(t, out.String(), "placed order")
		})
	}
}

func TestRunUnknownOfferOnTheFake(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-offer", "nope"}, env(nil), &out, &bytes.Buffer{})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "offer_id is invalid"), err.Error())
	var ae *orderkit.APIError
	assert.ErrorAs(t, err, &ae)
}

// fakeRun runs the program against fake, served over loopback as if it
// were the real API.
func fakeRun(t *testing.T, fake *adilitytest.Server, args ...string) (string, error) {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"-offer", adilitytest.DemoOfferID}, args...),
		env(map[string]string{"ADILITY_API_KEY": adilitytest.DefaultAPIKey, "ADILITY_BASE_URL": srv.URL}), &out, &errOut)
	return out.String(), err
}

// The Place answer is lost after the fake placed the order. Resolve cannot
// tell; the program places again with the same number: the duplicate
// refusal proves the order placed, and — as the API has no read by number —
// it says so and stops.
func TestRunLostAnswerPlacedButUnreadable(t *testing.T) {
	fake := adilitytest.NewServer()
	fake.DropNextAfterActing()
	out, err := fakeRun(t, fake, "-number", "lost-7", "-quantity", "2")
	require.Error(t, err)
	assert.ErrorIs(t, err, adility.ErrPlacedUnreadable)
	assert.Contains(t, err.Error(), "order number lost-7: placed, not readable")
	assert.Contains(t, out, "the answer to order number lost-7 was lost: checking what arrived of it\n")
	assert.Contains(t, out, "sending the same Place again with number lost-7 (Adility refuses a used number, so it is not placed twice)\n")
	assert.Contains(t, out, "order number lost-7 is placed, but the API offers no way to read an order by its number:\n")
	assert.Contains(t, out, "  2 x offer "+adilitytest.DemoOfferID+" for John Smith\n")
	assert.NotContains(t, out, "placed order ")
	orders := fake.Orders()
	require.Len(t, orders, 1, "placed once")
	assert.Equal(t, "lost-7", orders[0].OrderNumber)
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost {
			assert.Contains(t, r.Body, `"order_number":"lost-7"`, "never another number")
		}
	}
	assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
}

// The same, where the duplicate refusal names the order: it is read and
// its vouchers printed.
func TestRunLostAnswerResolvedToTheOrder(t *testing.T) {
	fake := adilitytest.NewServer()
	fake.SetDuplicateRefusal(adilitytest.DuplicateRefusalTopLevel)
	fake.DropNextAfterActing()
	out, err := fakeRun(t, fake, "-number", "lost-8", "-quantity", "2")
	require.NoError(t, err)
	assert.Contains(t, out, "order number lost-8 is placed, once\n")
	orders := fake.Orders()
	require.Len(t, orders, 1)
	assert.Contains(t, out, "placed order "+orders[0].ID+" (number lost-8): active\n")
	assert.Len(t, voucherLine.FindAllString(out, -1), 2)
	for _, v := range orders[0].Items[0].Vouchers {
		assert.Contains(t, out, "code "+v.RedemptionCode)
	}
}

// Lost before the fake acted: placing again places it, once.
func TestRunLostBeforeActing(t *testing.T) {
	fake := adilitytest.NewServer()
	fake.DropNextBeforeActing()
	out, err := fakeRun(t, fake, "-number", "lost-9")
	require.NoError(t, err)
	assert.Contains(t, out, "order number lost-9 is placed, once\n")
	assert.Len(t, fake.Orders(), 1)
	assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
}

// A number used before is refused, not bought again.
func TestRunNumberUsedBefore(t *testing.T) {
	fake := adilitytest.NewServer()
	_, err := fakeRun(t, fake, "-number", "used-1")
	require.NoError(t, err)
	_, err = fakeRun(t, fake, "-number", "used-1")
	require.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
	assert.Contains(t, err.Error(), "order number used-1 was used before")
	assert.Len(t, fake.Orders(), 1)
}

// A cut answer names the order: Resolve reads it, and nothing is sent
// again.
func TestRunCutAnswerResolvedByReading(t *testing.T) {
	fake := adilitytest.NewServer()
	fake.TruncateNextAfterActing()
	out, err := fakeRun(t, fake, "-number", "lost-10")
	require.NoError(t, err)
	assert.Contains(t, out, "resolved: order number lost-10 is placed, once\n")
	assert.NotContains(t, out, "sending the same Place again")
	assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"))
}
