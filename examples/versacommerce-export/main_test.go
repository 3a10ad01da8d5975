package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

func TestExportAllOnTheFake(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, noEnv, &out, &errOut))
	assert.Equal(t, `code,date,customer,status,payment_status,total,currency
196-000-100,2024-03-01,Eduard Siebert,closed,paid,97.45,EUR
196-000-101,2024-03-04,Anna Schmidt,open,not_paid,15.94,EUR
196-000-102,2024-03-11,Jörg Müller,in_progress,paid,1234.50,EUR
196-000-103,2024-03-21,"Lena Weber, Dr.",canceled,not_paid,8.49,EUR
196-000-104,2024-04-01,guest@example.com,open,paid,42.00,EUR
`, out.String())
	assert.Contains(t, errOut.String(), "5 orders\n")
	assert.Contains(t, errOut.String(), "fake shop")
}

func TestExportFilters(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-status", "open", "-payment-status", "paid", "-since", "2024-03-02"}, noEnv, &out, &errOut))
	assert.Equal(t, "code,date,customer,status,payment_status,total,currency\n196-000-104,2024-04-01,guest@example.com,open,paid,42.00,EUR\n", out.String())
	assert.Contains(t, errOut.String(), "1 orders\n")

	out.Reset()
	errOut.Reset()
	require.NoError(t, run(context.Background(), []string{"-since", "2024-03-11"}, noEnv, &out, &errOut))
	assert.Contains(t, errOut.String(), "3 orders\n")
	assert.NotContains(t, out.String(), "Anna")
}

func TestExportRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-since", "01.03.2024"}, {"-status", "shipped"}, {"-payment-status", "free"}, {"extra"}, {"-nope"}} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, noEnv, &out, &errOut)
		assert.Error(t, err, "%v", args)
	}
}

func TestExportWithCredentialsUsesTheEnvironment(t *testing.T) {
	fake := versacommercetest.NewServer()
	fake.SetCredentials("live-key", "live-pass")
	fake.AddOrder(versacommercetest.Order{Status: "open", CustomerEmail: "x@example.com"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := map[string]string{
		"VERSACOMMERCE_API_KEY": "live-key", "VERSACOMMERCE_API_PASSWORD": "live-pass",
		"VERSACOMMERCE_SHOP": "myshop", "VERSACOMMERCE_BASE_URL": versacommercetest.BaseURL(srv.URL),
	}
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errOut))
	assert.Contains(t, out.String(), "x@example.com")
	assert.Contains(t, errOut.String(), "1 orders\n")
	assert.NotContains(t, errOut.String(), "fake shop")

	env["VERSACOMMERCE_API_PASSWORD"] = "wrong"
	err := run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errOut)
	assert.ErrorIs(t, err, orderkit.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "live-key")

	env["VERSACOMMERCE_SHOP"], env["VERSACOMMERCE_BASE_URL"] = "bad.shop", ""
	err = run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errOut)
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestExportNamesTheRequestIDOfAFailedPage(t *testing.T) {
	fake := versacommercetest.NewServer()
	fake.AddOrder(versacommercetest.Order{Status: "open"})
	fake.SetPageCap(1)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := map[string]string{
		"VERSACOMMERCE_API_KEY": versacommercetest.DefaultAPIKey, "VERSACOMMERCE_API_PASSWORD": versacommercetest.DefaultAPIPassword,
		"VERSACOMMERCE_BASE_URL": versacommercetest.BaseURL(srv.URL),
	}
	fake.AddOrder(versacommercetest.Order{Status: "open"})
	// The first page arrives (a zero delay is a fault that serves); the
	// second fails for good (a 404 is not retried).
	fake.DelayNext(0)
	fake.FailNext(404, `{"errors": {"base": ["gone"]}}`)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-page-timeout", "5s"}, func(k string) string { return env[k] }, &out, &errOut)
	require.Error(t, err)
	assert.ErrorIs(t, err, orderkit.ErrNotFound)
	assert.Contains(t, err.Error(), "after 1 orders (shop request id req-2)")

	err = run(context.Background(), []string{"-page-timeout", "0s"}, noEnv, &out, &errOut)
	assert.Error(t, err)
}

func TestExportPageTimeoutBoundsEachPage(t *testing.T) {
	fake := versacommercetest.NewServer()
	fake.AddOrder(versacommercetest.Order{Status: "open"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := map[string]string{
		"VERSACOMMERCE_API_KEY": versacommercetest.DefaultAPIKey, "VERSACOMMERCE_API_PASSWORD": versacommercetest.DefaultAPIPassword,
		"VERSACOMMERCE_BASE_URL": versacommercetest.BaseURL(srv.URL),
	}
	// The page hangs far longer than the bound (the fake lets go once the
	// request's context ends). The run's own context is cancelled later as
	// a backstop: without the bound the error would be context.Canceled.
	for i := 0; i < 5; i++ {
		fake.DelayNext(time.Minute)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	backstop := time.AfterFunc(20*time.Second, cancel)
	defer backstop.Stop()
	var out, errOut bytes.Buffer
	err := run(ctx, []string{"-page-timeout", "50ms"}, func(k string) string { return env[k] }, &out, &errOut)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, context.Canceled)
	assert.NotContains(t, out.String(), "196-", "no order row")
}
