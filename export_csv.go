package orderkit

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit/money"
)

// CSVOptions are the options of WriteLinesCSV and WriteVATCSV. The zero
// value (or nil) writes German decimals and assumes no currency.
type CSVOptions struct {
	// DecimalPoint writes 1234.50 instead of the German 1234,50.
	DecimalPoint bool
	// AssumedCurrency is the ISO 4217 code written for, and summed as,
	// orders whose vendor names no currency (Attivita, Inventorum,
	// Adility): "EUR". Empty leaves their currency empty.
	AssumedCurrency string
}

func (o *CSVOptions) check() (CSVOptions, error) {
	if o == nil {
		return CSVOptions{}, nil
	}
	if o.AssumedCurrency != "" && !isoCurrency.MatchString(o.AssumedCurrency) {
		return *o, fmt.Errorf("%w: CSVOptions.AssumedCurrency %q is not an ISO 4217 code such as EUR", ErrInvalidArgument, o.AssumedCurrency)
	}
	return *o, nil
}

// linesCSVHeader is the heading row of WriteLinesCSV.
var linesCSVHeader = []string{
	"api", "order_id", "order_number", "created_utc", "status", "vendor_status", "currency", "line", "product_id", "sku", "name",
	"quantity", "unit_net", "unit_gross", "tax_rate", "net", "tax", "gross", "line_discount", "derived", "order_gross",
	"order_checks",
}

// WriteLinesCSV writes the orders as semicolon-separated CSV (UTF-8, LF
// line ends, quoted where needed) with a heading row (api, order_id,
// order_number, created_utc, status, vendor_status, currency, line,
// product_id, sku, name, quantity, unit_net, unit_gross, tax_rate, net, tax,
// gross, line_discount, derived, order_gross, order_checks) and one row per
// order line; an order without lines gets one row without line
// figures. Every order is written, whatever its status or reconciliation.
//
// Amounts are rounded to cents; unit prices, quantities and rates are
// written exactly as the vendor sent them or the rule gave them. An empty
// cell is a figure the vendor does not send (Figure.Source Absent). A
// line's net and gross are before its line_discount; order_gross is after
// every discount. derived lists the line's derived figures; order_checks is
// "ok", "not checked" or "differs: " and the failed checks.
func WriteLinesCSV(w io.Writer, orders []Order, opts *CSVOptions) error {
	op, err := opts.check()
	if err != nil {
		return err
	}
	german := !op.DecimalPoint
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(linesCSVHeader); err != nil {
		return err
	}
	for i := range orders {
		o := &orders[i]
		head := []string{string(o.API), o.ID, o.Number, timeText(o.Created), o.Status.String(), o.VendorStatus, orderCurrency(o, op.AssumedCurrency)}
		tail := []string{centsText(o.Totals.Gross, german), checksText(o)}
		lines := o.Lines
		if len(lines) == 0 {
			lines = []Line{{}}
		}
		for j := range lines {
			l := &lines[j]
			var derived []string
			for _, f := range l.Figures() {
				if f.Figure.IsDerived() {
					derived = append(derived, f.Path)
				}
			}
			n, qty := strconv.Itoa(j+1), quantityText(l, german)
			if len(o.Lines) == 0 {
				n, qty = "", ""
			}
			row := append(append(make([]string, 0, len(linesCSVHeader)), head...),
				n, l.ProductID, l.SKU, l.Name, qty,
				exactText(l.UnitNet, german), exactText(l.UnitGross, german), exactText(l.TaxRate, german),
				centsText(l.Net, german), centsText(l.Tax, german), centsText(l.Gross, german), centsText(l.Discount, german),
				strings.Join(derived, ","))
			if err := cw.Write(append(row, tail...)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// vatCSVHeader is the heading row of WriteVATCSV.
var vatCSVHeader = []string{"currency", "tax_rate", "net", "tax", "gross", "orders"}

// WriteVATCSV writes the VAT per currency and rate over the booked orders
// (status completed, open, pending or refunded) as semicolon-separated CSV
// with the heading row currency, tax_rate, net, tax, gross, orders, from each order's own VAT breakdown:
// net and tax rounded to cents per order and rate, gross their sum. Orders
// without a complete breakdown are summed by their gross in a row with an
// empty rate, net and tax, per currency, after the rated rows; the gross
// cell is empty when none of them has one. The other orders are listed in
// the summary's Excluded.
func WriteVATCSV(w io.Writer, orders []Order, opts *CSVOptions) (*ExportSummary, error) {
	op, err := opts.check()
	if err != nil {
		return nil, err
	}
	german := !op.DecimalPoint
	sum := &ExportSummary{}
	var totals rateTotals
	for i := range orders {
		o := &orders[i]
		if !booked(o.Status) {
			sum.Excluded = append(sum.Excluded, Exclusion{API: o.API, ID: o.ID, Number: o.Number,
				Reason: "status " + o.Status.String() + ": not booked"})
			continue
		}
		sum.Orders++
		cur := orderCurrency(o, op.AssumedCurrency)
		rates, ok := vatBreakdown(o)
		if !ok {
			totals.add(cur, nil, o.Totals.Gross, 0)
			continue
		}
		for j := range rates {
			totals.add(cur, &rates[j], Figure{}, 0)
		}
	}
	sum.Rates = totals.sorted()
	sum.Bookings = len(sum.Rates)
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(vatCSVHeader); err != nil {
		return nil, err
	}
	for _, r := range sum.Rates {
		rate := ""
		if r.Rate.Known() {
			rate = numberText(r.Rate.Amount, german)
		}
		row := []string{r.Currency, rate, centsText(r.Net, german), centsText(r.Tax, german), centsText(r.Gross, german), strconv.Itoa(r.Orders)}
		if err := cw.Write(row); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return sum, cw.Error()
}

// checksText sums up the order's reconciliation: "ok", "not checked" or
// the differences.
func checksText(o *Order) string {
	if d := o.Differences(); len(d) > 0 {
		parts := make([]string, len(d))
		for i, c := range d {
			parts[i] = c.String()
		}
		return "differs: " + strings.Join(parts, "; ")
	}
	for _, c := range o.Checks {
		if c.OK() {
			return "ok"
		}
	}
	return "not checked"
}

// quantityText writes a line's quantity, in the chosen notation. It is the
// one place the exports read Line.Quantity, and it does so through
// fmt.Sprint, so it works whether Quantity is a decimal or an int.
func quantityText(l *Line, german bool) string {
	s := fmt.Sprint(l.Quantity)
	if german {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// numberText writes an amount exactly, in the chosen notation.
func numberText(a money.Amount, german bool) string {
	if german {
		return a.StringDE(-1)
	}
	return a.String()
}

// exactText writes a figure exactly; an absent figure is empty.
func exactText(f Figure, german bool) string {
	if !f.Known() {
		return ""
	}
	return numberText(f.Amount, german)
}

// centsText writes a figure rounded to cents; an absent figure is empty.
func centsText(f Figure, german bool) string {
	if !f.Known() {
		return ""
	}
	if german {
		return f.Amount.StringDE(2)
	}
	return f.Amount.StringFixed(2)
}
