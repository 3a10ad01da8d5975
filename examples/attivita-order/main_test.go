package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/money"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunOnFake(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, env(nil), &out, &errOut))
	s := out.String()
	assert.Contains(t, s, "No ATTIVITA_TOKEN set: running on the in-memory Attivita fake.")
	assert.Regexp(t, `Microsoft Office 2021 Home & Business\s+507f1f77bcf86cd799439011\s+149\.99 EUR\s+100\+\s+DACH`, s)
	assert.Regexp(t, `Office \+ Antivirus Bundle\s+\S+\s+129\.99 EUR\s+3\s+GLOBAL`, s)
	assert.Regexp(t, `Windows 11 Pro\s+\S+\s+99\.90 EUR\s+0\s+none`, s)
	assert.Contains(t, s, "Buying 1 × Microsoft Office 2021 Home & Business (149.99 EUR) on the fake")
	assert.Contains(t, s, "Order 1001: completed, total 149.99 EUR")
	assert.Contains(t, s, "1 × Microsoft Office 2021 Home & Business at 149.99 EUR\n  OFFC-0000-0000-0001\n")
	assert.Empty(t, errOut.String())
}

func TestRunBundleGroupedByPool(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-product", attivitatest.DemoBundleID}, env(nil), &out, &out))
	s := out.String()
	assert.Contains(t, s, "Order 1001: completed, total 129.99 EUR")
	assert.Contains(t, s, "  Office 2021 Pool (Microsoft Office 2021):\n    OFFC-0000-0000-0001\n  Antivirus Pool (Norton Antivirus):\n    NRTN-0000-0000-0001\n")
}

func TestRunSandboxOnFake(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-region", "eu"}, env(map[string]string{"ATTIVITA_SANDBOX": "true"}), &out, &out))
	s := out.String()
	assert.NotContains(t, s, "Microsoft Office", "region filter")
	assert.Contains(t, s, "Buying 1 × Norton Antivirus (29.99 EUR) in sandbox mode")
	assert.Contains(t, s, "sandbox-completed")
	assert.Contains(t, s, "Sandbox: "+attivitatest.SandboxNotice)
	assert.Regexp(t, regexp.MustCompile(`\n  SAND-BOX1-TEST-KEY1\n`), s)
}

func TestRunWithTokenUsesBaseURLAndSandbox(t *testing.T) {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var out bytes.Buffer
	e := env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL)})
	require.NoError(t, run(context.Background(), nil, e, &out, &out))
	assert.NotContains(t, out.String(), "in-memory")
	assert.Contains(t, out.String(), "in sandbox mode")
	assert.Equal(t, 150, fake.KeysLeft("pool-office-2021"), "sandbox by default with a token")
	for _, r := range fake.Requests() {
		assert.True(t, r.Sandbox, "%s %s", r.Method, r.Path)
	}

	out.Reset()
	e = env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL), "ATTIVITA_SANDBOX": "false"})
	require.NoError(t, run(context.Background(), nil, e, &out, &out))
	assert.Contains(t, out.String(), "for real")
	assert.Equal(t, 149, fake.KeysLeft("pool-office-2021"))
}

func TestRunErrors(t *testing.T) {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var out bytes.Buffer

	err := run(context.Background(), nil, env(map[string]string{"ATTIVITA_TOKEN": "wrong", "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL)}), &out, &out)
	require.ErrorIs(t, err, orderkit.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong")
	assert.NotContains(t, oneLine(err), "\n")

	err = run(context.Background(), nil, env(map[string]string{"ATTIVITA_SANDBOX": "maybe"}), &out, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ATTIVITA_SANDBOX")

	err = run(context.Background(), []string{"-product", attivitatest.DemoSoldOutID}, env(nil), &out, &out)
	var short *attivita.InsufficientStockError
	require.ErrorAs(t, err, &short)
	assert.Contains(t, err.Error(), "not bought, stock too low")

	err = run(context.Background(), []string{"-product", "missing"}, env(nil), &out, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not in the list")

	err = run(context.Background(), []string{"-region", "MARS"}, env(nil), &out, &out)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)

	err = run(context.Background(), []string{"-nope"}, env(nil), &out, &out)
	require.Error(t, err)

	fake.SetCreditLimit(fake.Spent())
	err = run(context.Background(), nil, env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL), "ATTIVITA_SANDBOX": "false"}), &out, &out)
	require.ErrorIs(t, err, attivita.ErrCreditLimitExceeded)
	assert.True(t, strings.HasPrefix(err.Error(), "not bought, credit limit reached"))

	// A 500 on the POST that did not place the order: the lookup says so.
	fake.SetCreditLimit(money.MustParse("100000"))
	fake.FailNextOn("POST", "/api/orders", 500, `{"error":"Internal server error"}`)
	posts := fake.Count("POST", "/api/orders")
	err = run(context.Background(), nil, env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL), "ATTIVITA_SANDBOX": "false"}), &out, &out)
	// Too soon after the lost call to be sure: it may still appear.
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.NotErrorIs(t, err, orderkit.ErrNotCreated)
	assert.True(t, strings.HasPrefix(err.Error(), "the order may have been placed: the order list does not show it (yet); check it again in 10s, and before buying again"), err.Error())
	assert.Equal(t, posts+1, fake.Count("POST", "/api/orders"), "sent once")
}

// dropOrderAnswer serves fake, and drops the connection of every order's
// POST after the fake placed the order.
func dropOrderAnswer(fake *attivitatest.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/orders" {
			fake.DropNextAfterActing()
		}
		fake.ServeHTTP(w, r)
	})
}

// Under every reading of the sandbox list the fake has (sandbox orders
// marked or plain "completed" orders, with or without the live orders),
// the lost order is found and printed: never "not bought".
func TestRunFindsTheOrderWhenTheAnswerIsLost(t *testing.T) {
	for _, sandbox := range []string{"false", "true"} {
		for _, listing := range []attivitatest.SandboxListing{attivitatest.SandboxMarked, attivitatest.SandboxUnmarked} {
			for _, listsLive := range []bool{false, true} {
				if sandbox == "false" && (listing != attivitatest.SandboxMarked || listsLive) {
					continue // readings of sandbox lists only
				}
				t.Run(fmt.Sprintf("sandbox=%s,%v,listsLive=%v", sandbox, listing, listsLive), func(t *testing.T) {
					fake := attivitatest.NewServer()
					fake.SeedDemo()
					fake.SetSandboxListing(listing)
					fake.SetSandboxListsLive(listsLive)
					srv := httptest.NewServer(dropOrderAnswer(fake))
					defer srv.Close()
					// A live order of another program (which reaches the fake
					// without the dropped answers), listed live.
					direct := httptest.NewServer(fake)
					defer direct.Close()
					other, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(attivitatest.BaseURL(direct.URL)))
					require.NoError(t, err)
					_, err = other.Orders.Create(context.Background(), &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoAntivirusID, Amount: 1}}})
					require.NoError(t, err)
					var out, errOut bytes.Buffer
					e := env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL), "ATTIVITA_SANDBOX": sandbox})
					require.NoError(t, run(context.Background(), nil, e, &out, &errOut), "exit 0")
					s := out.String()
					assert.Contains(t, s, "The answer to the order was lost; looking the order up in the order list.\n")
					assert.NotContains(t, s, "not bought")
					if sandbox == "true" {
						assert.Contains(t, s, "Order 900001: ")
						assert.Contains(t, s, "1 × Microsoft Office 2021 Home & Business at 149.99 EUR\n  SAND-BOX1-TEST-KEY1\n")
						assert.Equal(t, 1, fake.SandboxOrderCount())
					} else {
						assert.Contains(t, s, "Order 1002: completed, total 149.99 EUR\n")
						assert.Contains(t, s, "1 × Microsoft Office 2021 Home & Business at 149.99 EUR\n  OFFC-0000-0000-0001\n")
						assert.Equal(t, 2, fake.OrderCount())
					}
					assert.Empty(t, errOut.String())
					assert.Equal(t, 2, fake.Count("POST", "/api/orders"), "never a second POST")
				})
			}
		}
	}
}

// Under the reading where sandbox orders are answered but never listed,
// the lookup cannot find the sandbox order, nor prove it was not placed:
// the program says it may have been placed, and sends nothing again.
func TestRunLostSandboxAnswerUnlisted(t *testing.T) {
	for _, listsLive := range []bool{false, true} {
		fake := attivitatest.NewServer()
		fake.SeedDemo()
		fake.SetSandboxListing(attivitatest.SandboxUnlisted)
		fake.SetSandboxListsLive(listsLive)
		srv := httptest.NewServer(dropOrderAnswer(fake))
		var out bytes.Buffer
		e := env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL), "ATTIVITA_SANDBOX": "true"})
		err := run(context.Background(), nil, e, &out, &out)
		srv.Close()
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		assert.NotErrorIs(t, err, orderkit.ErrNotCreated)
		assert.True(t, strings.HasPrefix(err.Error(), "the order may have been placed"), err.Error())
		assert.NotContains(t, err.Error(), "not bought")
		assert.NotContains(t, out.String(), "not bought")
		assert.Equal(t, 1, fake.SandboxOrderCount(), "the order exists")
		assert.Equal(t, 1, fake.Count("POST", "/api/orders"), "never a second POST")
	}
}

// The answer is lost and the lookup fails too: the program does not say
// "not bought", it says the order may have been placed.
func TestRunLostAnswerAndFailedLookup(t *testing.T) {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(dropOrderAnswer(fake))
	defer srv.Close()
	fake.FailNextOn("GET", "/api/orders", 401, `{"error":"Invalid authentication token"}`)
	var out bytes.Buffer
	e := env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL), "ATTIVITA_SANDBOX": "false"})
	err := run(context.Background(), nil, e, &out, &out)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	require.ErrorIs(t, err, orderkit.ErrUnauthorized, "the lookup's error is kept")
	assert.True(t, strings.HasPrefix(err.Error(), "the order may have been placed; check the order list before buying again"), err.Error())
	assert.Equal(t, 1, fake.OrderCount())
	assert.Equal(t, 1, fake.Count("POST", "/api/orders"), "never a second POST")
}

// The answer is lost and an identical order was placed in the same
// seconds by another program: the lookup cannot tell them apart, and the
// program says so instead of printing either order's keys.
func TestRunLostAnswerAmbiguous(t *testing.T) {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(dropOrderAnswer(fake))
	defer srv.Close()
	// The other program reaches the fake without the dropped answers.
	direct := httptest.NewServer(fake)
	defer direct.Close()
	other, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(attivitatest.BaseURL(direct.URL)))
	require.NoError(t, err)
	_, err = other.Orders.Create(context.Background(), &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
	require.NoError(t, err)

	var out bytes.Buffer
	e := env(map[string]string{"ATTIVITA_TOKEN": attivitatest.DefaultToken, "ATTIVITA_BASE_URL": attivitatest.BaseURL(srv.URL), "ATTIVITA_SANDBOX": "false"})
	err = run(context.Background(), nil, e, &out, &out)
	require.ErrorIs(t, err, orderkit.ErrAmbiguous)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.True(t, strings.HasPrefix(err.Error(), "the order may have been placed, and the order list cannot tell which identical order is this one's"), err.Error())
	assert.NotContains(t, out.String(), "OFFC-", "no order's keys are printed")
	assert.Equal(t, 2, fake.OrderCount())
	assert.Equal(t, 2, fake.Count("POST", "/api/orders"), "the program sent its order once")
}
