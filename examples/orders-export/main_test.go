package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
)

func noEnv(string) string { return "" }

// export runs the program on the fakes and returns stdout and stderr.
func export(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), args, noEnv, &out, &errOut))
	return out.String(), errOut.String()
}

// sameLines compares two texts line by line, naming the first line that
// differs.
func sameLines(t *testing.T, want, got string) {
	t.Helper()
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		assert.Equal(t, w[i], g[i], "line %d", i+1)
	}
	assert.Equal(t, len(w), len(g), "number of lines")
}

func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// The VAT per rate over the fakes' day, worked out by hand:
//   - no currency, 19 %: Attivita 1002 (2 × 149.99 = 299.98, 19 % = 57.00),
//     Inventorum 7001 (4 × 1.6722689076 = 6.69 net, 7.96 − 6.69 = 1.27) and
//     7002 (10.08 net, 12.00 − 10.08 = 1.92): 316.75 net, 60.19 tax.
//   - no currency, 7 %: Inventorum 7001 (2 × 0.7383177570 = 1.48 net,
//     1.58 − 1.48 = 0.10).
//   - no currency, 0 %: Attivita 1003 (29.99, no VAT added).
//   - EUR 19 %: VersaCommerce 301 (29.90 − 4.77 = 25.13) and 302
//     (11.49 − 1.83 = 9.66): 34.79 net, 6.60 tax, 41.39 gross.
//   - EUR 7 %: VersaCommerce 302 (36.00 − 2.36 = 33.64).
//   - no rate: Adility's order, which carries no amounts.
//
// VersaCommerce 303 is canceled: in the lines, not in the sums.
var wantVAT = map[bool][]string{
	true: {
		"currency;tax_rate;net;tax;gross;orders",
		";19;316,75;60,19;376,94;3",
		";7;1,48;0,10;1,58;1",
		";0;29,99;0,00;29,99;1",
		"EUR;19;34,79;6,60;41,39;2",
		"EUR;7;33,64;2,36;36,00;1",
		";;;;;1",
		"",
	},
	false: {
		"currency;tax_rate;net;tax;gross;orders",
		";19;316.75;60.19;376.94;3",
		";7;1.48;0.10;1.58;1",
		";0;29.99;0.00;29.99;1",
		"EUR;19;34.79;6.60;41.39;2",
		"EUR;7;33.64;2.36;36.00;1",
		";;;;;1",
		"",
	},
}

var wantStderr = []string{
	"no ATTIVITA_TOKEN: Attivita orders come from the in-memory fake",
	"no INVENTORUM_TOKEN: Inventorum orders come from the in-memory fake",
	"no VERSACOMMERCE_API_KEY: VersaCommerce orders come from the in-memory fake",
	"no ADILITY_API_KEY: Adility orders come from the in-memory fake",
	// Inventorum 7002: one mug at 12.00 gross, 10.00 paid.
	"orderkit: inventorum order 7002 does not add up: paid = gross: 10.00 vs 12.00, difference -2.00",
	"1 canceled, failed or unknown orders are in the lines but not in the VAT summary",
	"8 orders of 2024-03-01 exported",
	"",
}

func TestExportToFiles(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		args   []string
		german bool
		golden string
	}{
		{"German numbers by default", nil, true, "lines_de.csv"},
		{"decimal point", []string{"-numbers", "point"}, false, "lines_point.csv"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			lines, vat := filepath.Join(dir, "lines.csv"), filepath.Join(dir, "vat.csv")
			stdout, stderr := export(t, append([]string{"-o", lines, "-vat", vat}, tt.args...)...)
			assert.Empty(t, stdout)
			sameLines(t, strings.Join(wantStderr, "\n"), stderr)
			sameLines(t, golden(t, tt.golden), readFile(t, lines))
			sameLines(t, strings.Join(wantVAT[tt.german], "\n"), readFile(t, vat))
		})
	}
}

// TestExportLines checks rows of the golden file against figures worked
// out by hand, so the golden file itself is checked.
func TestExportLines(t *testing.T) {
	t.Parallel()
	stdout, _ := export(t, "-numbers", "point")
	rows := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, rows, 11, "a header and 10 lines")
	assert.Equal(t, "api;order_id;order_number;created_utc;status;vendor_status;currency;line;product_id;sku;name;"+
		"quantity;unit_net;unit_gross;tax_rate;net;tax;gross;line_discount;derived;order_gross;order_checks", rows[0])
	want := map[int]string{
		// Attivita, German customer: 149.99 × 1.19 = 178.4881 per unit;
		// 2 units 299.98 net, 56.9962 tax (57.00), 356.98 gross.
		1: "attivita;1002;1002;2024-03-01T08:15:00Z;completed;completed;;1;507f1f77bcf86cd799439011;;Microsoft Office 2021 Home & Business;" +
			"2;149.99;178.4881;19;299.98;57.00;356.98;;unit_gross,tax_rate,tax,gross;356.98;ok",
		// Inventorum: 4 × 1.6722689076 = 6.6890756304 net; 7.96 − that = 1.2709243696 tax.
		3: "inventorum;7001;R-2024-0301;2024-03-01T09:05:00Z;completed;PAID|SHIPPED|DELIVERED|CLOSED;;1;9001;4029764001807;Club Mate 0,5 l;" +
			"4;1.6722689076;1.99;19;6.69;1.27;7.96;;net,tax;9.54;ok",
		5: "inventorum;7002;R-2024-0302;2024-03-01T11:30:00Z;completed;PAID|SHIPPED|DELIVERED|CLOSED;;1;9003;T-1;Tasse;" +
			"1;10.0840336134;12;19;10.08;1.92;12.00;;net,tax;12.00;differs: paid = gross: 10.00 vs 12.00, difference -2.00",
		// VersaCommerce: gross prices; 3 × 12.00 = 36.00; the shop sends no
		// item rate, so rate, net and tax stay empty on the line.
		8: "versacommerce;302;196-000-302;2024-03-01T13:20:00Z;completed;closed;EUR;2;13;978-3-16-148410-0;Kochbuch;" +
			"3;;12;;;;36.00;;gross;47.49;ok",
		// Adility sends no amounts.
		10: "adility;4f1d2c3b9a0e7d0000000001;export-0001;2024-03-01T14:05:00Z;open;active;;1;4e8b1a2f9a0e7d0011000001;;;" +
			"2;;;;;;;;;;not checked",
	}
	for i, w := range want {
		assert.Equal(t, w, rows[i], "row %d", i)
	}
}

// TestWriteLinesDiscount: a line discount is written in its own column,
// rounded to cents, and listed as derived when a rule gave it; net and
// gross stay before it.
func TestWriteLinesDiscount(t *testing.T) {
	t.Parallel()
	o := orderkit.Order{API: orderkit.APIVersaCommerce, ID: "8", Lines: []orderkit.Line{{
		Quantity: 2, UnitGross: orderkit.GivenFigure(money.MustParse("10.00"), "price"),
		Gross:    orderkit.DerivedFigure(money.MustParse("20.00"), "price × quantity"),
		Discount: orderkit.DerivedFigure(money.MustParse("2.005"), "discount % of the line"),
	}}, Totals: orderkit.Totals{Gross: orderkit.GivenFigure(money.MustParse("18.00"), "total")}}
	var b bytes.Buffer
	require.NoError(t, orderkit.WriteLinesCSV(&b, []orderkit.Order{o}, nil))
	rows := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, rows, 2)
	assert.Equal(t, "versacommerce;8;;;unknown;;;1;;;;2;;10;;;;20,00;2,01;discount,gross;18,00;not checked", rows[1])
}

func TestExportToStdout(t *testing.T) {
	t.Parallel()
	stdout, stderr := export(t)
	sameLines(t, golden(t, "lines_de.csv"), stdout)
	want := append(append(wantStderr[:4:4], "VAT per rate:"), wantVAT[true][:7]...)
	want = append(want, wantStderr[4:]...)
	sameLines(t, strings.Join(want, "\n"), stderr)
}

func TestExportDay(t *testing.T) {
	t.Parallel()
	stdout, stderr := export(t, "-day", "2024-02-29", "-numbers", "point", "-vat", filepath.Join(t.TempDir(), "vat.csv"))
	rows := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, rows, 4, "the day before holds one order each of Attivita, Inventorum and VersaCommerce:\n%s", stdout)
	assert.True(t, strings.HasPrefix(rows[1], "attivita;1001;1001;2024-02-29T22:00:00Z;completed;"), rows[1])
	// 1 × 149.99 + 19 % = 178.49.
	assert.True(t, strings.HasSuffix(rows[1], ";149.99;178.4881;19;149.99;28.50;178.49;;unit_gross,tax_rate,tax,gross;178.49;ok"), rows[1])
	assert.True(t, strings.HasPrefix(rows[2], "inventorum;7000;R-2024-0229;2024-02-29T23:00:00Z;completed;"), rows[2])
	// An order without items: one row without line figures; 12.50 gross
	// at 19 %, tax 2.00 as the shop sends it.
	assert.Equal(t, "versacommerce;300;196-000-300;2024-02-29T21:00:00Z;completed;closed;EUR;;;;;;;;;;;;;;12.50;ok", rows[3])
	assert.Contains(t, stderr, "3 orders of 2024-02-29 exported")
}

func TestExportAdilityOrders(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-adility-order", "no-such-order"}, noEnv, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "adility: order no-such-order:")
}

func TestExportFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-numbers", "fr"}, `-numbers "fr": want de or point`},
		{[]string{"-day", "1.3.2024"}, `-day "1.3.2024" is not a date like 2024-03-01`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-o", filepath.Join(t.TempDir(), "missing", "x.csv")}, "no such file or directory"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, noEnv, &out, &errOut)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want)
	}
	var l stringList
	require.NoError(t, l.Set("a, b,,c"))
	require.NoError(t, l.Set("d"))
	assert.Equal(t, "a,b,c,d", l.String())
}

// TestExportDATEV writes the fakes' day as a DATEV batch and compares it
// with the golden file line by line. The bookings, worked out by hand:
//   - Attivita 1002: 299.98 + 57.00 = 356,98 at 19 % on 8400; 1003: 29,99
//     at 0 % on 8200.
//   - Inventorum 7001: 7,96 at 19 % (8400) and 1,58 at 7 % (8300); 7002
//     does not add up (paid 10.00 of 12.00): not booked.
//   - VersaCommerce 301: 29,90 at 19 %; 302: 11,49 at 19 % and 36,00 at
//     7 %; 303 is canceled: not booked.
//   - Adility's order has no amounts: not booked.
//
// 406,33 at 19 %, 37,58 at 7 %, 29,99 at 0 %: 473,90, the gross of the six
// booked orders (356.98 + 29.99 + 9.54 + 29.90 + 47.49).
func TestExportDATEV(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "EXTF_orders.csv")
	stdout, stderr := export(t, "-format", "datev", "-o", path)
	assert.Empty(t, stdout)
	got := readFile(t, path)
	assert.True(t, strings.HasSuffix(got, "\r\n"), "CRLF line ends")
	sameLines(t, golden(t, "EXTF_2024-03-01.csv"), got)
	for _, want := range []string{
		"DATEV EUR 19 %: 406,33 gross in 4 bookings",
		"DATEV EUR 7 %: 37,58 gross in 2 bookings",
		"DATEV EUR 0 %: 29,99 gross in 1 bookings",
		"not booked: inventorum order 7002: figures do not add up: paid = gross: 10.00 vs 12.00, difference -2.00",
		"not booked: versacommerce order 303: status canceled: not booked",
		"not booked: adility order 4f1d2c3b9a0e7d0000000001: no VAT breakdown",
		"8 orders of 2024-03-01 exported",
	} {
		assert.Contains(t, stderr, want)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-format", "xml"}, `-format "xml": want csv or datev`},
		{[]string{"-format", "datev", "-festschreibung", "2"}, "-festschreibung 2: want 0 or 1"},
		{[]string{"-format", "datev", "-fiscal-year-start", "1.1.2024"}, `-fiscal-year-start "1.1.2024" is not a date`},
		{[]string{"-format", "datev", "-berater", "99"}, "DATEVOptions.Berater 99 is outside 1001–9999999"},
		{[]string{"-format", "datev", "-skr", "49"}, `DATEVOptions.SKR "49"`},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, noEnv, &out, &errOut)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want)
	}
}
