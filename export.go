package orderkit

// # Exports for the bookkeeper
//
// (A section for the package documentation; doc.go is kept elsewhere.)
//
// Three writers turn a day's orders of the four APIs, as the common Order,
// into files a bookkeeper takes:
//
//   - WriteLinesCSV: one semicolon-separated row per order line, every
//     figure traced (given or derived), German or point decimals.
//   - WriteVATCSV: the VAT per currency and rate over the booked orders.
//   - WriteDATEV: a DATEV EXTF Buchungsstapel (header version 700,
//     category 21, format version 13), the file German tax advisors import
//     into DATEV Rechnungswesen.
//
// Each returns, or can return, an ExportSummary: the orders and bookings in
// the sums, the gross per currency and VAT rate, every order left out with
// its reason (Exclusions) and every text changed to fit the format
// (Notices). Nothing is left out without an entry. The same orders and
// options give the same bytes: no writer reads the clock or the locale.
//
// # Which orders are booked
//
// Orders in status completed, open, pending or refunded are booked;
// canceled, failed and unknown ones are excluded (the lines CSV still shows
// them). The VAT per rate comes from each order's own breakdown
// (Totals.Tax): the net is the breakdown's basis rounded to cents, the tax
// its tax rounded to cents, the gross their sum. Per API that means:
//
//   - Attivita: one rate per order, derived from grandTotal − subTotal
//     (19 % for German customers, 0 % otherwise); Attivita names no currency.
//     An order without totals (the page's bundle example) has no breakdown.
//   - Inventorum: per item tax rate, net = price × quantity rounded to
//     cents per rate, tax = gross_price − net; no currency. An order with a
//     shipment cost or a discount has no breakdown (the page gives no rate
//     for them).
//   - VersaCommerce: standard and reduced rate as the shop sends them
//     (prices include tax): net = tax total − tax amount; "€" reads as EUR.
//     With prices_include_tax false there is no breakdown.
//   - Adility: the page documents no amounts: no breakdown, never booked.
//
// Where a vendor names no currency, CSVOptions.AssumedCurrency and
// DATEVOptions.AssumedCurrency name the one to assume (usually "EUR"), so
// one rate does not split into a "" row and an "EUR" row.
//
// # DATEV: the bookings
//
// One booking per order and VAT rate: Umsatz is the gross at that rate,
// always positive, "S" (the Konto is debited) for a sale and "H" for a
// negative gross (a credit). Konto is the debit account (default: the
// collective debtor 10000, i.e. 1 followed by Sachkontenlänge zeros — the
// first debtor number in SKR03 and SKR04), Gegenkonto the revenue account of
// the rate. Default revenue accounts (4 digits; a longer Sachkontenlänge
// appends zeros, 8400 → 84000):
//
//	rate   SKR03                      SKR04
//	19 %   8400 Erlöse 19 % USt (AM)  4400 Erlöse 19 % USt (AM)
//	 7 %   8300 Erlöse 7 % USt (AM)   4300 Erlöse 7 % USt (AM)
//	 0 %   8200 Erlöse                4200 Erlöse
//
// 8400/8300 and 4400/4300 are Automatikkonten: DATEV takes the VAT out of
// the gross itself, so no BU-Schlüssel is written for them (a key there
// would be a second tax). 8200/4200 carry no tax and no key; a tax advisor
// who books untaxed sales by their reason (export, EU delivery, reverse
// charge) maps 0 % to that account in DATEVOptions.Accounts. A revenue
// account that is not automatic gets its BU-Schlüssel in every booking (3 =
// USt 19 %, 2 = USt 7 % by default). A rate with no account is not
// guessed: its orders are excluded.
//
// Belegdatum is the order's Created day (in DATEVOptions.Location, UTC by
// default) as TTMM, inside the header's period; Belegfeld 1 the order
// number (the order id where there is none) in DATEV's characters — letters
// A–Z and a–z, digits and _ $ % - / — and 36 characters, ä ö ü ß spelled
// ae oe ue ss, any other character written as "-"; Buchungstext
// "<API> <number> <customer>" within 60 characters. Beleginfo 1 holds
// "Bestellung" and "<api> <order id>" so every booking leads back to the
// vendor's order.
//
// The file is Windows-1252 with CRLF line ends, amounts with a decimal
// comma and no thousands separator, text fields quoted with inner quotes
// doubled. A character Windows-1252 does not have becomes "?", a control
// character a space, and a text longer than its field is cut (doubled
// quotes counted twice, so the field fits under either reading of DATEV's
// limit); each such change is a Notice.
//
// An order is excluded, with its reason, when it has no date, falls outside
// the period, does not reconcile (Order.Err), names no currency and none is
// assumed, is in another currency than the batch (foreign-currency bookings
// with a Kurs are not written), has no VAT breakdown, a breakdown that does
// not add up to its gross to the cent, a rate without an account, or a
// gross beyond DATEV's ten digits. A rate whose gross is 0,00 gets no
// booking (DATEV refuses a zero Umsatz) and a Notice.

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"

	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// ExportSummary is what an export put into its sums, and what it left out.
type ExportSummary struct {
	// Orders is the number of orders in the sums; Bookings the booking
	// rows written (DATEV) or the rate rows (VAT CSV).
	Orders   int
	Bookings int
	// Rates are the sums per currency and VAT rate, in the order written:
	// rates by currency, then highest rate first; rows without a rate (orders
	// without a VAT breakdown, in the VAT CSV only) last.
	Rates []RateTotal
	// Excluded are the orders left out of the sums, each with its reason.
	Excluded []Exclusion
	// Notices are the texts changed to fit the format and the zero
	// bookings left out.
	Notices []Notice
}

// Gross returns the gross of the rows in currency (orders without a known
// gross count as zero).
func (s *ExportSummary) Gross(currency string) money.Amount {
	var sum money.Amount
	for _, r := range s.Rates {
		if r.Currency == currency {
			sum = sum.Add(r.Gross.Amount)
		}
	}
	return sum
}

// RateTotal is the sum of the booked orders at one currency and VAT rate.
// Rate, Net and Tax are absent in the row of orders without a VAT
// breakdown, Gross where none of those orders has a gross.
type RateTotal struct {
	Currency              string
	Rate, Net, Tax, Gross Figure
	// Orders counts the orders with an amount at this rate; Bookings the
	// DATEV bookings written for it.
	Orders, Bookings int
}

// Exclusion is an order an export left out of its sums.
type Exclusion struct {
	API    API
	ID     string
	Number string
	Reason string
}

// String reads "attivita order 1001: status canceled: not booked".
func (e Exclusion) String() string {
	return fmt.Sprintf("%s order %s: %s", e.API, e.ID, e.Reason)
}

// Notice is a change an export made to fit the format: a text cut to its
// field's length, a character replaced, a zero booking left out.
type Notice struct {
	API API
	ID  string
	// Field is the DATEV field or CSV column: "Buchungstext", "Belegfeld 1".
	Field string
	// Was is the text as the order had it, Now as written.
	Was, Now string
	Reason   string
}

// String reads `versacommerce order 302: Buchungstext: cut to 60
// characters: "…" → "…"`.
func (n Notice) String() string {
	return fmt.Sprintf("%s order %s: %s: %s: %q → %q", n.API, n.ID, n.Field, n.Reason, n.Was, n.Now)
}

// booked reports whether an order in status s counts in the sums:
// canceled, failed and unknown orders do not.
func booked(s orderstate.Status) bool {
	return s == orderstate.StatusCompleted || s == orderstate.StatusOpen || s == orderstate.StatusPending || s == orderstate.StatusRefunded
}

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// orderCurrency returns the order's currency, or assumed where it names
// none.
func orderCurrency(o *Order, assumed string) string {
	if o.Currency == "" {
		return assumed
	}
	return o.Currency
}

// rateAmount is an order's amount at one VAT rate, in cents.
type rateAmount struct {
	rate            money.Amount
	net, tax, gross money.Amount
}

// vatBreakdown returns the order's VAT per rate from Totals.Tax, subtotals
// at the same rate merged, each rounded to cents: net = basis, tax = tax,
// gross = net + tax. ok is false when the order has no complete breakdown
// (no subtotal, or one without rate, basis or tax).
func vatBreakdown(o *Order) (rates []rateAmount, ok bool) {
	if len(o.Totals.Tax) == 0 {
		return nil, false
	}
	for _, s := range o.Totals.Tax {
		if !s.Rate.Known() || !s.Basis.Known() || !s.Tax.Known() {
			return nil, false
		}
		net, tax := s.Basis.Amount.RoundCents(), s.Tax.Amount.RoundCents()
		i := slices.IndexFunc(rates, func(r rateAmount) bool { return r.rate.Equal(s.Rate.Amount) })
		if i < 0 {
			rates = append(rates, rateAmount{rate: s.Rate.Amount})
			i = len(rates) - 1
		}
		r := &rates[i]
		r.net, r.tax, r.gross = r.net.Add(net), r.tax.Add(tax), r.gross.Add(net).Add(tax)
	}
	return rates, true
}

// rateTotals collects RateTotal rows by currency and rate.
type rateTotals struct{ rows []RateTotal }

// add adds an order's amount at a rate; a nil rate is the row of orders
// without a breakdown, where only a known gross is added.
func (t *rateTotals) add(currency string, r *rateAmount, gross Figure, bookings int) {
	i := slices.IndexFunc(t.rows, func(x RateTotal) bool {
		if x.Currency != currency || x.Rate.Known() != (r != nil) {
			return false
		}
		return r == nil || x.Rate.Amount.Equal(r.rate)
	})
	if i < 0 {
		row := RateTotal{Currency: currency}
		if r != nil {
			row.Rate = DerivedFigure(r.rate, "VAT rate of the orders' breakdown")
			row.Net = DerivedFigure(money.Zero, "sum of the net at this rate")
			row.Tax = DerivedFigure(money.Zero, "sum of the tax at this rate")
			row.Gross = DerivedFigure(money.Zero, "sum of net + tax at this rate")
		}
		t.rows = append(t.rows, row)
		i = len(t.rows) - 1
	}
	row := &t.rows[i]
	row.Orders++
	row.Bookings += bookings
	switch {
	case r != nil:
		row.Net.Amount = row.Net.Amount.Add(r.net)
		row.Tax.Amount = row.Tax.Amount.Add(r.tax)
		row.Gross.Amount = row.Gross.Amount.Add(r.gross)
	case gross.Known():
		if !row.Gross.Known() {
			row.Gross = DerivedFigure(money.Zero, "sum of the orders' gross")
		}
		row.Gross.Amount = row.Gross.Amount.Add(gross.Amount.RoundCents())
	}
}

// sorted returns the rows with a rate first, by currency and then highest
// rate first, and the rows without one last, by currency.
func (t *rateTotals) sorted() []RateTotal {
	slices.SortStableFunc(t.rows, func(a, b RateTotal) int {
		if a.Rate.Known() != b.Rate.Known() {
			if a.Rate.Known() {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Currency, b.Currency), b.Rate.Amount.Cmp(a.Rate.Amount))
	})
	return t.rows
}
