package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

// runQuickstart runs the program with no environment and returns stdout,
// failing the test on an error or anything on stderr.
func runQuickstart(t *testing.T) string {
	t.Helper()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, noEnv, &out, &errOut))
	assert.Empty(t, errOut.String())
	return out.String()
}

// sectionOf returns the part of the report under heading, up to the next
// heading.
func sectionOf(t *testing.T, report, heading string) string {
	t.Helper()
	start := strings.Index(report, heading+"\n"+strings.Repeat("=", len([]rune(heading)))+"\n")
	require.GreaterOrEqual(t, start, 0, "no heading %q in:\n%s", heading, report)
	rest := report[start+len(heading):]
	end := len(rest)
	for _, s := range sections {
		if i := strings.Index(rest, "\n"+s.title+"\n"); i >= 0 && i < end {
			end = i
		}
	}
	return rest[:end]
}

// lines returns the lines of s with trailing blanks removed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		out = append(out, strings.TrimRight(l, " "))
	}
	return out
}

// block asserts that want appears in s as consecutive whole lines.
func block(t *testing.T, s string, want ...string) {
	t.Helper()
	assert.Contains(t, "\n"+strings.Join(lines(s), "\n")+"\n", "\n"+strings.Join(want, "\n")+"\n")
}

func TestReportHasASectionPerAPI(t *testing.T) {
	report := runQuickstart(t)
	assert.True(t, strings.HasPrefix(report, "orderkit quickstart: the four clients against their in-memory fakes\n"), report)
	for _, h := range []string{
		"Attivita: licence reseller (package attivita)",
		"Inventorum: POS and retail orders (package inventorum)",
		"VersaCommerce: shop orders (package versacommerce)",
		"Adility: vouchers (package adility)",
	} {
		sectionOf(t, report, h)
	}
	// Each section ends with the program and variables for a real account.
	assert.Equal(t, 4, strings.Count(report, "\nReal account: go run ./examples/"))
	assert.True(t, strings.HasSuffix(report, "ADILITY_FORMAT (json or xml)\n"), report)
}

func TestAttivitaBundleKeysByPool(t *testing.T) {
	s := sectionOf(t, runQuickstart(t), sections[0].title)
	block(t, s,
		"PRODUCT                                PRICE       STOCK  REGION",
		"Microsoft Office 2021 Home & Business  149.99 EUR  100+   DACH",
		"Norton Antivirus                       29.99 EUR   3      EU",
		"Office + Antivirus Bundle              129.99 EUR  3      GLOBAL",
		"Windows 11 Pro                         99.90 EUR   0      none",
	)
	block(t, s,
		"Bought 2 × Office + Antivirus Bundle: order 1001, completed, total 259.98 EUR",
		"LICENCE POOL      PRODUCT                KEY",
		"Office 2021 Pool  Microsoft Office 2021  OFFC-0000-0000-0001",
		"                                         OFFC-0000-0000-0002",
		"Antivirus Pool    Norton Antivirus       NRTN-0000-0000-0001",
		"                                         NRTN-0000-0000-0002",
		"4 keys",
		"Real account: go run ./examples/attivita-order with ATTIVITA_TOKEN (required), ATTIVITA_BASE_URL, ATTIVITA_SANDBOX (sandbox by default; false buys for real)",
	)
}

func TestInventorumSyncFromCheckpoint(t *testing.T) {
	s := sectionOf(t, runQuickstart(t), sections[1].title)
	// First run: every order in the feed. 1004 is pending (left out at API
	// version 12) and 1007 a draft (never in the feed).
	block(t, s,
		"Sync from an empty checkpoint (drafts are not in the feed; API version 12 leaves pending orders out):",
		"ORDER  CHANNEL     STATE                                   STATUS     GROSS",
		"1001   ipad        PAID|SHIPPED|DELIVERED|CLOSED           completed  1.99 EUR",
		"1002   shop        PAID|SHIPPED|DELIVERED|CLOSED           completed  5.98 EUR",
		"1003   ebay        PAID|CLOSED                             open       11.97 EUR",
		"1005   backoffice  CANCELED                                canceled   11.98 EUR",
		"1006   atalanda    PAID|SHIPPED|DELIVERED|CLOSED|REFUNDED  refunded   20.97 EUR",
		"5 orders, gross 52.89 EUR; checkpoint stored",
	)
	assert.NotRegexp(t, `(?m)^100[47]\s`, s)
	// Second run from the stored checkpoint: only what changed.
	block(t, s,
		"New order 1008 and order 1001 refunded; sync from the stored checkpoint:",
		"ORDER  CHANNEL  STATE                                   STATUS     GROSS",
		"1001   ipad     PAID|SHIPPED|DELIVERED|CLOSED|REFUNDED  refunded   1.99 EUR",
		"1008   shop     PAID|SHIPPED|DELIVERED|CLOSED           completed  25.00 EUR",
		"2 orders, gross 26.99 EUR; checkpoint stored",
	)
	// Third run from the checkpoint the second stored: nothing new.
	block(t, s,
		"Sync again from the stored checkpoint:",
		"no new or changed orders",
		"Real account: go run ./examples/inventorum-sync with INVENTORUM_TOKEN (required), INVENTORUM_BASE_URL",
	)
	assert.Len(t, regexp.MustCompile(`(?m)^1008\s`).FindAllString(s, -1), 1, "the new order is delivered once")
}

func TestVersaCommerceExportMatchesCount(t *testing.T) {
	s := sectionOf(t, runQuickstart(t), sections[2].title)
	block(t, s,
		`Orders with status "open" (the shop counts 3):`,
		"CODE         CREATED     CUSTOMER           PAYMENT   TOTAL",
		"196-000-101  2024-03-04  Anna Schmidt       not_paid  15.94 EUR",
		"196-000-104  2024-03-13  guest@example.com  paid      42.00 EUR",
		"196-000-105  2024-03-16  Mehmet Yılmaz      paid      1,089.99 EUR",
		"3 orders exported, total 1,147.93 EUR",
		"Real account: go run ./examples/versacommerce-export with VERSACOMMERCE_SHOP, VERSACOMMERCE_API_KEY, VERSACOMMERCE_API_PASSWORD (required), VERSACOMMERCE_BASE_URL",
	)
	// The count the shop gives equals the rows exported, and only open
	// orders are among them.
	m := regexp.MustCompile(`the shop counts (\d+)\)`).FindStringSubmatch(s)
	require.NotNil(t, m)
	rows := regexp.MustCompile(`(?m)^196-\d{3}-\d{3}  `).FindAllString(s, -1)
	assert.Equal(t, m[1], strconv.Itoa(len(rows)))
	assert.Contains(t, s, "\n"+m[1]+" orders exported, total ")
	for _, name := range []string{"Eduard Siebert", "Jörg Müller", "Lena Weber"} {
		assert.NotContains(t, s, name, "not an open order")
	}
}

func TestAdilityPlaceReadCancel(t *testing.T) {
	s := sectionOf(t, runQuickstart(t), sections[3].title)
	block(t, s,
		"Placed    order 4f1d2c3b9a0e7d0000000001 (number quickstart-0001): active (open), 2 vouchers",
		"  VOUCHER                   CODE          STATUS    EXPIRES",
		"  4f1d2c3b9a0e7d0000000002  AD-0000-0002  Acquired  2025-03-01",
		"  4f1d2c3b9a0e7d0000000003  AD-0000-0003  Acquired  2025-03-01",
		"Read      order 4f1d2c3b9a0e7d0000000001 (number quickstart-0001): active (open), 2 vouchers, purchased 2024-03-01T12:00:00Z",
		"Cancelled order 4f1d2c3b9a0e7d0000000001 (number quickstart-0001): cancelled (canceled), 2 vouchers",
		"  VOUCHER                   CODE          STATUS     EXPIRES",
		"  4f1d2c3b9a0e7d0000000002  AD-0000-0002  cancelled  2025-03-01",
		"  4f1d2c3b9a0e7d0000000003  AD-0000-0003  cancelled  2025-03-01",
		"Real account: go run ./examples/adility-vouchers with ADILITY_API_KEY (required), ADILITY_BASE_URL, ADILITY_FORMAT (json or xml)",
	)
}

func TestReportIsDeterministicAndQuick(t *testing.T) {
	start := time.Now()
	first := runQuickstart(t)
	took := time.Since(start)
	t.Logf("one run took %s", took)
	// Well under a second normally; the bound leaves room for -race on a
	// busy machine.
	assert.Less(t, took, 5*time.Second)
	assert.Equal(t, first, runQuickstart(t))
}

// TestEnvironmentVariablesMatchTheExamples keeps the "Real account" lines
// honest: every variable named there is read by that example program, and
// every variable the program reads is named.
func TestEnvironmentVariablesMatchTheExamples(t *testing.T) {
	getenv := regexp.MustCompile(`getenv\("([A-Z_]+)"\)`)
	named := regexp.MustCompile(`\b[A-Z]+_[A-Z_]+\b`)
	for _, s := range sections {
		t.Run(s.program, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("..", s.program, "main.go"))
			require.NoError(t, err)
			read := map[string]bool{}
			for _, m := range getenv.FindAllStringSubmatch(string(src), -1) {
				read[m[1]] = true
			}
			var want, got []string
			for v := range read {
				want = append(want, v)
			}
			got = named.FindAllString(s.env, -1)
			sort.Strings(want)
			sort.Strings(got)
			assert.Equal(t, want, got)
		})
	}
}

func TestRealAccountVariablesAreNotUsed(t *testing.T) {
	env := map[string]string{
		"ATTIVITA_TOKEN": "real-token", "ATTIVITA_BASE_URL": "https://api.attivita.invalid", "ATTIVITA_SANDBOX": "false",
		"ADILITY_API_KEY": "real-key",
	}
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errOut))
	assert.Equal(t, runQuickstart(t), out.String(), "the same report, from the fakes")
	assert.Equal(t,
		"ATTIVITA_TOKEN is set, but the quickstart runs on the fakes only; the example programs below use it.\n"+
			"ADILITY_API_KEY is set, but the quickstart runs on the fakes only; the example programs below use it.\n",
		errOut.String())
	assert.NotContains(t, out.String()+errOut.String(), "real-token")
	assert.NotContains(t, out.String()+errOut.String(), "real-key")
}

func TestRunErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"extra"}, noEnv, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unexpected argument "extra"`)
	assert.Empty(t, out.String())

	errOut.Reset()
	err = run(context.Background(), []string{"-h"}, noEnv, &out, &errOut)
	assert.True(t, errors.Is(err, flag.ErrHelp), "%v", err)
	assert.Contains(t, errOut.String(), "usage: quickstart")

	err = run(context.Background(), []string{"-nosuchflag"}, noEnv, &out, &errOut)
	require.Error(t, err)

	// A cancelled context stops the first call and names the API.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out.Reset()
	err = run(ctx, nil, noEnv, &out, &errOut)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.True(t, strings.HasPrefix(err.Error(), "Attivita: listing products: "), err.Error())
	assert.NotContains(t, out.String(), "Real account", "no section finished")
}
