package orderkit_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// testOrder is a completed order on day at rates given as "rate:net:tax"
// (gross = net + tax), in currency.
func testOrder(api orderkit.API, id, number string, created time.Time, currency string, rates ...string) orderkit.Order {
	o := orderkit.Order{API: api, ID: id, Number: number, Created: created, Status: orderstate.StatusCompleted, Currency: currency}
	var gross money.Amount
	for _, r := range rates {
		p := strings.Split(r, ":")
		net, tax := money.MustParse(p[1]), money.MustParse(p[2])
		o.Totals.Tax = append(o.Totals.Tax, orderkit.TaxSubtotal{
			Rate:  orderkit.GivenFigure(money.MustParse(p[0]), "rate"),
			Basis: orderkit.GivenFigure(net, "net"),
			Tax:   orderkit.GivenFigure(tax, "tax"),
			Gross: orderkit.GivenFigure(net.Add(tax), "gross"),
		})
		gross = gross.Add(net).Add(tax)
	}
	o.Totals.Gross = orderkit.GivenFigure(gross, "total")
	return o
}

var day = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

func datevOptions() *orderkit.DATEVOptions {
	return &orderkit.DATEVOptions{
		Created: time.Date(2024, 3, 2, 6, 30, 5, 123e6, time.UTC), Berater: 29098, Mandant: 55003,
		FiscalYearStart: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), From: day, To: day,
		Festschreibung: orderkit.NotFestgeschrieben, SKR: orderkit.SKR03, AssumedCurrency: "EUR",
	}
}

// writeDATEV writes and checks the file against DATEV's rules.
func writeDATEV(t *testing.T, orders []orderkit.Order, opts *orderkit.DATEVOptions) ([]byte, *datevFile, *orderkit.ExportSummary) {
	t.Helper()
	var b bytes.Buffer
	sum, err := orderkit.WriteDATEV(&b, orders, opts)
	require.NoError(t, err)
	f, err := checkDATEV(b.Bytes())
	require.NoError(t, err, "%s", cp1252Decode(b.Bytes()))
	assertReconciles(t, orders, sum)
	return b.Bytes(), f, sum
}

// assertReconciles checks the summary against the orders: every order is
// booked or excluded, and the rates sum to the booked orders' gross.
func assertReconciles(t *testing.T, orders []orderkit.Order, sum *orderkit.ExportSummary) {
	t.Helper()
	excluded := map[string]bool{}
	for _, x := range sum.Excluded {
		excluded[string(x.API)+"/"+x.ID] = true
		assert.NotEmpty(t, x.Reason)
	}
	assert.Equal(t, len(orders), sum.Orders+len(sum.Excluded), "every order is booked or excluded")
	want := map[string]money.Amount{}
	for _, o := range orders {
		if !excluded[string(o.API)+"/"+o.ID] {
			cur := o.Currency
			if cur == "" {
				cur = "EUR"
			}
			want[cur] = want[cur].Add(o.Totals.Gross.Amount.RoundCents())
		}
	}
	for cur, g := range want {
		assert.Equal(t, g.StringFixed(2), sum.Gross(cur).StringFixed(2), "gross in %s", cur)
	}
	bookings := 0
	for _, r := range sum.Rates {
		bookings += r.Bookings
		assert.Equal(t, r.Net.Amount.Add(r.Tax.Amount).StringFixed(2), r.Gross.Amount.StringFixed(2), "net + tax = gross at %s", r.Rate)
	}
	assert.Equal(t, sum.Bookings, bookings)
}

func TestDATEVOptionsChecked(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		mod  func(o *orderkit.DATEVOptions)
		want string
	}{
		{"Berater below 1001", func(o *orderkit.DATEVOptions) { o.Berater = 1000 }, "DATEVOptions.Berater 1000 is outside 1001–9999999"},
		{"Berater above 9999999", func(o *orderkit.DATEVOptions) { o.Berater = 10000000 }, "DATEVOptions.Berater 10000000"},
		{"Berater zero", func(o *orderkit.DATEVOptions) { o.Berater = 0 }, "DATEVOptions.Berater 0"},
		{"Mandant zero", func(o *orderkit.DATEVOptions) { o.Mandant = 0 }, "DATEVOptions.Mandant 0 is outside 1–99999"},
		{"Mandant above 99999", func(o *orderkit.DATEVOptions) { o.Mandant = 100000 }, "DATEVOptions.Mandant 100000"},
		{"Sachkontenlänge 3", func(o *orderkit.DATEVOptions) { o.AccountLength = 3 }, "DATEVOptions.AccountLength 3 is outside 4–8"},
		{"Sachkontenlänge 9", func(o *orderkit.DATEVOptions) { o.AccountLength = 9 }, "DATEVOptions.AccountLength 9"},
		{"no creation time", func(o *orderkit.DATEVOptions) { o.Created = time.Time{} }, "DATEVOptions.Created is zero"},
		{"no fiscal year", func(o *orderkit.DATEVOptions) { o.FiscalYearStart = time.Time{} }, "DATEVOptions.FiscalYearStart is zero"},
		{"fiscal year on the 15th", func(o *orderkit.DATEVOptions) { o.FiscalYearStart = day.AddDate(0, 0, 14) }, "DATEVOptions.FiscalYearStart 20240315"},
		{"no period", func(o *orderkit.DATEVOptions) { o.To = time.Time{} }, "DATEVOptions.From and To are required"},
		{"To before From", func(o *orderkit.DATEVOptions) { o.To = day.AddDate(0, 0, -1) }, "DATEVOptions.To 20240229 is before From 20240301"},
		{"period past the fiscal year", func(o *orderkit.DATEVOptions) { o.To = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) },
			"the period must lie in the fiscal year 20240101–20241231"},
		{"period before the fiscal year", func(o *orderkit.DATEVOptions) { o.From = time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC) },
			"DATEVOptions.From 20231231"},
		{"no Festschreibung", func(o *orderkit.DATEVOptions) { o.Festschreibung = orderkit.FestschreibungUnset },
			"DATEVOptions.Festschreibung 0: choose NotFestgeschrieben or Festgeschrieben"},
		{"Label with a hyphen", func(o *orderkit.DATEVOptions) { o.Label = "Shop-Umsatz" }, `DATEVOptions.Label "Shop-Umsatz"`},
		{"Label of 31", func(o *orderkit.DATEVOptions) { o.Label = strings.Repeat("x", 31) }, "DATEVOptions.Label"},
		{"Currency €", func(o *orderkit.DATEVOptions) { o.Currency = "€" }, `DATEVOptions.Currency "€"`},
		{"AssumedCurrency eur", func(o *orderkit.DATEVOptions) { o.AssumedCurrency = "eur" }, `DATEVOptions.AssumedCurrency "eur"`},
		{"SKR 49", func(o *orderkit.DATEVOptions) { o.SKR = "49" }, `DATEVOptions.SKR "49"`},
		{"no SKR, no accounts", func(o *orderkit.DATEVOptions) { o.SKR = "" }, "DATEVOptions.SKR is empty"},
		{"debit account too long", func(o *orderkit.DATEVOptions) { o.Accounts = &orderkit.DATEVAccounts{Debit: 100000} },
			"DATEVOptions.Accounts.Debit 100000 does not fit Sachkontenlänge 4"},
		{"revenue account too long", func(o *orderkit.DATEVOptions) {
			o.Accounts = &orderkit.DATEVAccounts{Revenue: []orderkit.RevenueAccount{{Rate: money.FromInt(19), Account: 84000, Automatic: true}}}
		}, "DATEVOptions.Accounts.Revenue[0].Account 84000 does not fit Sachkontenlänge 4"},
		{"4-digit defaults at length 5 are fine, a 4-digit debtor is not a debtor of length 5", func(o *orderkit.DATEVOptions) {
			o.AccountLength = 5
			o.Accounts = &orderkit.DATEVAccounts{Debit: 1000000}
		}, "DATEVOptions.Accounts.Debit 1000000 does not fit Sachkontenlänge 5"},
		{"BU key on an Automatikkonto", func(o *orderkit.DATEVOptions) {
			o.Accounts = &orderkit.DATEVAccounts{Revenue: []orderkit.RevenueAccount{{Rate: money.FromInt(19), Account: 8400, Automatic: true, TaxKey: "3"}}}
		}, `DATEVOptions.Accounts.Revenue[0].TaxKey "3" on an Automatikkonto`},
		{"BU key of letters", func(o *orderkit.DATEVOptions) {
			o.Accounts = &orderkit.DATEVAccounts{Revenue: []orderkit.RevenueAccount{{Rate: money.FromInt(19), Account: 8000, TaxKey: "U3"}}}
		}, `DATEVOptions.Accounts.Revenue[0].TaxKey "U3"`},
		{"no BU key at 16 %", func(o *orderkit.DATEVOptions) {
			o.Accounts = &orderkit.DATEVAccounts{Revenue: []orderkit.RevenueAccount{{Rate: money.FromInt(16), Account: 8000}}}
		}, "DATEVOptions.Accounts.Revenue[0]: the account is not automatic and has no TaxKey for 16 %"},
		{"a rate twice", func(o *orderkit.DATEVOptions) {
			o.Accounts = &orderkit.DATEVAccounts{Revenue: []orderkit.RevenueAccount{{Rate: money.FromInt(0), Account: 8200}, {Rate: money.MustParse("0.0"), Account: 8100}}}
		}, "DATEVOptions.Accounts.Revenue[1].Rate 0 is mapped twice"},
		{"revenue on the debit account", func(o *orderkit.DATEVOptions) {
			o.Accounts = &orderkit.DATEVAccounts{Debit: 8400}
		}, "DATEVOptions.Accounts.Revenue[0].Account 8400 is Accounts.Debit too"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := datevOptions()
			tt.mod(o)
			var b bytes.Buffer
			sum, err := orderkit.WriteDATEV(&b, []orderkit.Order{testOrder(orderkit.APIAttivita, "1", "1", day, "", "19:10.00:1.90")}, o)
			require.Error(t, err)
			assert.True(t, errors.Is(err, orderkit.ErrInvalidArgument))
			assert.Contains(t, err.Error(), tt.want)
			assert.Nil(t, sum)
			assert.Zero(t, b.Len(), "nothing written")
		})
	}
	var b bytes.Buffer
	_, err := orderkit.WriteDATEV(&b, nil, nil)
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestDATEVHeader(t *testing.T) {
	t.Parallel()
	opts := datevOptions()
	b, f, _ := writeDATEV(t, nil, opts)
	// DATEV's own example header, with our values.
	assert.Equal(t, `"EXTF";700;21;"Buchungsstapel";13;20240302063005123;;"RE";"";"";29098;55003;20240101;4;20240301;20240301;`+
		`"Orders 01.03.2024";"";1;0;0;"EUR";;"";;;"03";;;"";""`, strings.Join(f.header, ";"))
	assert.True(t, bytes.HasPrefix(b, []byte(`"EXTF";700;21;"Buchungsstapel";13;`)))
	assert.Empty(t, f.bookings)

	opts.Festschreibung, opts.SKR, opts.AccountLength = orderkit.Festgeschrieben, orderkit.SKR04, 6
	opts.To, opts.Label = day.AddDate(0, 1, -1), "Shop März 2024"
	opts.Created = time.Date(2024, 4, 1, 23, 59, 59, 999999999, time.FixedZone("CEST", 2*3600))
	_, f, _ = writeDATEV(t, nil, opts)
	assert.Equal(t, "20240401215959999", f.header[5], "Erzeugt am in UTC, milliseconds cut")
	assert.Equal(t, "6", f.header[13])
	assert.Equal(t, "20240331", f.header[15])
	assert.Equal(t, `"Shop März 2024"`, f.header[16])
	assert.Equal(t, "1", f.header[20], "Festschreibung")
	assert.Equal(t, `"04"`, f.header[26])

	opts.Label = ""
	_, f, _ = writeDATEV(t, nil, opts)
	assert.Equal(t, `"Orders 01.03.2024/31.03.2024"`, f.header[16])
}

// TestDATEVBookingFields checks each field rule on one booking per case.
func TestDATEVBookingFields(t *testing.T) {
	t.Parallel()
	at := day.Add(14 * time.Hour)
	type want struct {
		umsatz, sh, konto, gegen, bu, datum, beleg, text, info, fest string
	}
	for _, tt := range []struct {
		name  string
		order orderkit.Order
		opts  func(o *orderkit.DATEVOptions)
		want  []want
	}{
		{
			// 100.00 net + 19.00 tax: the Umsatz is the gross 119,00 on the
			// Automatikkonto 8400, without a BU-Schlüssel; DATEV takes the
			// 19,00 out itself.
			name:  "gross, not net, on an Automatikkonto",
			order: testOrder(orderkit.APIAttivita, "1002", "1002", at, "", "19:100.00:19.00"),
			want:  []want{{"119,00", `"S"`, "10000", "8400", `""`, "0103", `"1002"`, `"Attivita 1002"`, `"attivita 1002"`, "0"}},
		},
		{
			name:  "two rates, two bookings, vendor's order",
			order: testOrder(orderkit.APIVersaCommerce, "302", "196-000-302", at, "EUR", "19:9.66:1.83", "7:33.64:2.36"),
			want: []want{
				{"11,49", `"S"`, "10000", "8400", `""`, "0103", `"196-000-302"`, `"VersaCommerce 196-000-302"`, `"versacommerce 302"`, "0"},
				{"36,00", `"S"`, "10000", "8300", `""`, "0103", `"196-000-302"`, `"VersaCommerce 196-000-302"`, `"versacommerce 302"`, "0"},
			},
		},
		{
			name:  "a negative gross is a credit: positive Umsatz, H",
			order: testOrder(orderkit.APIInventorum, "9", "G-1", at, "", "19:-10.00:-1.90"),
			want:  []want{{"11,90", `"H"`, "10000", "8400", `""`, "0103", `"G-1"`, `"Inventorum G-1"`, `"inventorum 9"`, "0"}},
		},
		{
			name:  "BU-Schlüssel only on an account that is not automatic; SKR04",
			order: testOrder(orderkit.APIAttivita, "1", "1", at, "", "19:10.00:1.90", "7:10.00:0.70", "0:5.00:0.00"),
			opts: func(o *orderkit.DATEVOptions) {
				o.SKR = orderkit.SKR04
				o.Accounts = &orderkit.DATEVAccounts{Debit: 1460, Revenue: []orderkit.RevenueAccount{
					{Rate: money.FromInt(19), Account: 4000}, {Rate: money.FromInt(7), Account: 4300, Automatic: true},
					{Rate: money.Zero, Account: 4120, TaxKey: "0"},
				}}
			},
			want: []want{
				{"11,90", `"S"`, "1460", "4000", `"3"`, "0103", `"1"`, `"Attivita 1"`, `"attivita 1"`, "0"},
				{"10,70", `"S"`, "1460", "4300", `""`, "0103", `"1"`, `"Attivita 1"`, `"attivita 1"`, "0"},
				{"5,00", `"S"`, "1460", "4120", `"0"`, "0103", `"1"`, `"Attivita 1"`, `"attivita 1"`, "0"},
			},
		},
		{
			name: "no thousands separator, € in Windows-1252, doubled quotes, cut text, Festschreibung",
			order: func() orderkit.Order {
				o := testOrder(orderkit.APIVersaCommerce, "7", `Nr. "7"`, at, "EUR", "19:12345.67:2345.68")
				o.Customer.Name = `Café „Zum Euro“ € ` + strings.Repeat("x", 40)
				return o
			}(),
			opts: func(o *orderkit.DATEVOptions) { o.Festschreibung = orderkit.Festgeschrieben },
			want: []want{{"14691,35", `"S"`, "10000", "8400", `""`, "0103", `"Nr---7-"`,
				`"VersaCommerce Nr. ""7"" Café „Zum Euro“ € xxxxxxxxxxxxxxxxxx"`, `"versacommerce 7"`, "1"}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := datevOptions()
			if tt.opts != nil {
				tt.opts(opts)
			}
			raw, f, sum := writeDATEV(t, []orderkit.Order{tt.order}, opts)
			if strings.Contains(tt.name, "€") {
				assert.True(t, bytes.Contains(raw, []byte("\x84Zum Euro\x93 \x80 x")), "„ “ € as 0x84 0x93 0x80")
				assert.True(t, bytes.Contains(raw, []byte("Caf\xe9")), "é as 0xE9")
			}
			require.Len(t, f.bookings, len(tt.want))
			for i, w := range tt.want {
				b := f.bookings[i]
				assert.Equal(t, w, want{b[0], b[1], b[6], b[7], b[8], b[9], b[10], b[13], b[21], b[113]}, "booking %d", i+1)
				assert.Equal(t, `"Bestellung"`, b[20])
			}
			assert.Empty(t, sum.Excluded)
		})
	}
}

func TestDATEVNotices(t *testing.T) {
	t.Parallel()
	o := testOrder(orderkit.APIInventorum, "5", "Bestellung Nr. 5 vom 1. März 2024, Filiale Süd-West 12", day, "", "19:10.00:1.90", "7:0.00:0.00")
	o.Customer.Name = "Łukasz\nNowak"
	_, f, sum := writeDATEV(t, []orderkit.Order{o}, datevOptions())
	require.Len(t, f.bookings, 1, "no booking for 0,00 at 7 %")
	var got []string
	for _, n := range sum.Notices {
		got = append(got, n.Field+": "+n.Reason+": "+n.Now)
	}
	assert.Equal(t, []string{
		"Belegfeld 1: characters outside DATEV's set replaced; cut to 36 characters: Bestellung-Nr--5-vom-1--Maerz-2024--",
		"Buchungstext: control characters written as spaces; characters Windows-1252 does not have written as '?'; cut to 60 characters: " +
			"Inventorum Bestellung Nr. 5 vom 1. März 2024, Filiale Süd-We",
		"Umsatz: the gross at 7 % is 0,00: DATEV refuses a zero Umsatz, no booking written: ",
	}, got)
	require.Len(t, sum.Rates, 2)
	assert.Equal(t, 0, sum.Rates[1].Bookings)
	assert.Equal(t, 1, sum.Rates[1].Orders)
}

// TestDATEVExclusions: every order that cannot be booked is reported with
// its reason, and the others are booked.
func TestDATEVExclusions(t *testing.T) {
	t.Parallel()
	ok := testOrder(orderkit.APIAttivita, "ok", "ok", day.Add(23*time.Hour+59*time.Minute), "", "19:10.00:1.90")
	canceled := testOrder(orderkit.APIVersaCommerce, "canceled", "c", day, "EUR", "19:10.00:1.90")
	canceled.Status = orderstate.StatusCanceled
	undated := testOrder(orderkit.APIAttivita, "undated", "u", time.Time{}, "", "19:10.00:1.90")
	before := testOrder(orderkit.APIAttivita, "before", "b", day.Add(-time.Nanosecond), "", "19:10.00:1.90")
	after := testOrder(orderkit.APIAttivita, "after", "a", day.Add(24*time.Hour), "", "19:10.00:1.90")
	differs := testOrder(orderkit.APIInventorum, "differs", "d", day, "", "19:10.00:1.90")
	differs.Totals.Paid = orderkit.GivenFigure(money.MustParse("10.00"), "amount_paid")
	differs.AddCheck("paid = gross", differs.Totals.Paid, differs.Totals.Gross, "paid", "gross")
	usd := testOrder(orderkit.APIVersaCommerce, "usd", "usd", day, "USD", "19:10.00:1.90")
	noBreakdown := testOrder(orderkit.APIAdility, "adility", "x", day, "")
	noBreakdown.Totals = orderkit.Totals{}
	noBreakdown.Notes = []string{"Adility documents no prices on orders: every amount is left empty"}
	mismatch := testOrder(orderkit.APIVersaCommerce, "mismatch", "m", day, "EUR", "19:10.00:1.90")
	mismatch.Totals.Gross.Amount = money.MustParse("12.00")
	rate16 := testOrder(orderkit.APIAttivita, "16", "16", day, "", "16:10.00:1.60")
	zero := testOrder(orderkit.APIAttivita, "zero", "z", day, "", "0:0:0")
	huge := testOrder(orderkit.APIAttivita, "huge", "h", day, "", "0:10000000000.00:0")

	orders := []orderkit.Order{ok, canceled, undated, before, after, differs, usd, noBreakdown, mismatch, rate16, zero, huge}
	_, f, sum := writeDATEV(t, orders, datevOptions())
	require.Len(t, f.bookings, 1)
	assert.Equal(t, "11,90", f.bookings[0][0])
	var got []string
	for _, x := range sum.Excluded {
		got = append(got, x.String())
	}
	assert.Equal(t, []string{
		"versacommerce order canceled: status canceled: not booked",
		"attivita order undated: no order date: no Belegdatum",
		"attivita order before: dated 29.02.2024, outside the batch's period 01.03.2024–01.03.2024",
		"attivita order after: dated 02.03.2024, outside the batch's period 01.03.2024–01.03.2024",
		"inventorum order differs: figures do not add up: paid = gross: 10.00 vs 11.90, difference -1.90",
		"versacommerce order usd: currency USD is not the batch's EUR (foreign-currency bookings are not written)",
		"adility order adility: no VAT breakdown (net and tax per rate) to book from: Adility documents no prices on orders: every amount is left empty",
		"versacommerce order mismatch: the VAT breakdown sums to 11.90, the order's gross is 12.00",
		"attivita order 16: no revenue account for VAT rate 16 % (DATEVOptions.Accounts.Revenue)",
		"attivita order zero: gross 0.00: nothing to book",
		"attivita order huge: gross 10000000000.00 at 0 % exceeds DATEV's largest Umsatz 9999999999,99",
	}, got)

	// Without an assumed currency, an order without one is not booked.
	opts := datevOptions()
	opts.AssumedCurrency = ""
	_, _, sum = writeDATEV(t, []orderkit.Order{ok}, opts)
	require.Len(t, sum.Excluded, 1)
	assert.Equal(t, "the vendor names no currency and DATEVOptions.AssumedCurrency is empty", sum.Excluded[0].Reason)

	// The period's day is read in Location: 23:30 UTC on 29 February is
	// 1 March in Berlin's winter time (a fixed zone here, as tzdata may be
	// missing).
	opts = datevOptions()
	opts.Location = time.FixedZone("CET", 3600)
	_, f, sum = writeDATEV(t, []orderkit.Order{before, ok}, opts)
	assert.Len(t, f.bookings, 1)
	assert.Equal(t, "ok", sum.Excluded[0].ID, "23:59 UTC on 1 March is 2 March at +1; 23:59:59 UTC on 29 February is 1 March")
	early := testOrder(orderkit.APIAttivita, "early", "e", day.Add(-30*time.Minute), "", "19:10.00:1.90")
	_, f, sum = writeDATEV(t, []orderkit.Order{early}, opts)
	require.Len(t, f.bookings, 1, "%v", sum.Excluded)
	assert.Equal(t, "0103", f.bookings[0][9])
}

// TestDATEVPeriodBoundaries: the first and the last day of the period are
// in it, whatever the time of day; Belegdatum is TTMM.
func TestDATEVPeriodBoundaries(t *testing.T) {
	t.Parallel()
	opts := datevOptions()
	opts.FiscalYearStart = time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC) // a fiscal year from July
	opts.From, opts.To = time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	first := testOrder(orderkit.APIAttivita, "first", "f", opts.From, "", "19:1.00:0.19")
	last := testOrder(orderkit.APIAttivita, "last", "l", opts.To.Add(24*time.Hour-time.Nanosecond), "", "19:1.00:0.19")
	out := testOrder(orderkit.APIAttivita, "out", "o", opts.To.Add(24*time.Hour), "", "19:1.00:0.19")
	_, f, sum := writeDATEV(t, []orderkit.Order{first, last, out}, opts)
	require.Len(t, f.bookings, 2)
	assert.Equal(t, "0102", f.bookings[0][9])
	assert.Equal(t, "2902", f.bookings[1][9])
	assert.Equal(t, "20230701", f.header[12])
	require.Len(t, sum.Excluded, 1)
	assert.Equal(t, "out", sum.Excluded[0].ID)
}

// TestDATEVReproducible: the same orders and options give the same bytes,
// and the options and orders are not changed.
func TestDATEVReproducible(t *testing.T) {
	t.Parallel()
	orders := []orderkit.Order{
		testOrder(orderkit.APIAttivita, "1", "1", day, "", "19:10.00:1.90"),
		testOrder(orderkit.APIVersaCommerce, "2", "2", day, "EUR", "19:9.66:1.83", "7:33.64:2.36"),
	}
	revenue := []orderkit.RevenueAccount{{Rate: money.FromInt(19), Account: 8000}, {Rate: money.FromInt(7), Account: 8300, Automatic: true}}
	opts := datevOptions()
	opts.Accounts = &orderkit.DATEVAccounts{Revenue: revenue}
	a, _, _ := writeDATEV(t, orders, opts)
	b, _, _ := writeDATEV(t, orders, opts)
	assert.Equal(t, a, b)
	assert.Empty(t, revenue[0].TaxKey, "the default BU-Schlüssel is not written into the caller's slice")
	assert.Contains(t, cp1252Decode(a), `;10000;8000;"3";0103;`)
}

func TestDATEVWriteError(t *testing.T) {
	t.Parallel()
	_, err := orderkit.WriteDATEV(failWriter{}, nil, datevOptions())
	assert.EqualError(t, err, "disk full")
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// FuzzDATEV: whatever the texts and amounts of an order, every field the
// writer emits keeps DATEV's rules, and the summary reconciles.
func FuzzDATEV(f *testing.F) {
	f.Add("1002", "Paul Schmidt", "Kaffee", int64(10000), int64(1900), int64(1900), uint8(0))
	f.Add(`Nr. "7";8`, "Café „Zum Euro“ €\r\n\t\x00", "Łódź 😀", int64(-5), int64(-1), int64(0), uint8(3))
	f.Add("\xff\xfe", "\u0085\u009f", "", int64(999999999999), int64(0), int64(700), uint8(200))
	f.Add("", "", "", int64(0), int64(0), int64(0), uint8(1))
	f.Fuzz(fuzzDATEV)
}

// fuzzDATEV is one run of FuzzDATEV.
func fuzzDATEV(t *testing.T, number, customer, company string, netCents, taxCents, rateBP int64, hour uint8) {
	{
		o := orderkit.Order{API: orderkit.APIVersaCommerce, ID: number + "#", Number: number, Status: orderstate.StatusCompleted,
			Created: day.Add(time.Duration(hour) * 7 * time.Minute), Customer: orderkit.Customer{Name: customer}}
		if company != "" {
			o.Customer.Billing = &orderkit.Address{Company: company}
		}
		net, tax := money.FromCents(netCents), money.FromCents(taxCents)
		rate := money.FromMinorUnits(rateBP, 2)
		if rate.IsNegative() {
			rate = rate.Neg()
		}
		o.Totals.Tax = []orderkit.TaxSubtotal{{Rate: orderkit.GivenFigure(rate, "r"), Basis: orderkit.GivenFigure(net, "n"),
			Tax: orderkit.GivenFigure(tax, "t")}}
		o.Totals.Gross = orderkit.GivenFigure(net.Add(tax), "g")
		opts := datevOptions()
		opts.Accounts = &orderkit.DATEVAccounts{Revenue: []orderkit.RevenueAccount{{Rate: rate, Account: 8000, TaxKey: "3"}}}
		var b bytes.Buffer
		sum, err := orderkit.WriteDATEV(&b, []orderkit.Order{o}, opts)
		if err != nil {
			t.Fatal(err)
		}
		file, err := checkDATEV(b.Bytes())
		if err != nil {
			t.Fatalf("%v\n%q", err, b.Bytes())
		}
		if sum.Orders+len(sum.Excluded) != 1 {
			t.Fatalf("order neither booked nor excluded: %+v", sum)
		}
		if sum.Orders == 1 {
			g := o.Totals.Gross.Amount.RoundCents()
			if !sum.Gross("EUR").Equal(g) {
				t.Fatalf("summary gross %s, order gross %s", sum.Gross("EUR"), g)
			}
			if len(file.bookings) != sum.Bookings || (g.IsZero()) != (sum.Bookings == 0) {
				t.Fatalf("%d bookings for gross %s", len(file.bookings), g)
			}
		}
	}
}
