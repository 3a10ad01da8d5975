package orderkit

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/orderkit/orderkit/money"
)

// SKR is a DATEV standard chart of accounts (Standardkontenrahmen).
type SKR string

// The charts whose default accounts WriteDATEV knows.
const (
	SKR03 SKR = "03" // process-oriented: revenue in class 8
	SKR04 SKR = "04" // balance-sheet-oriented: revenue in class 4
)

// Festschreibung says whether DATEV locks the imported bookings (GoBD):
// locked bookings are corrected only by a reversal (Generalumkehr) or a
// logged exception right. It is the tax advisor's choice, so WriteDATEV
// refuses to guess it.
type Festschreibung int

// The Festschreibung values. The zero value is refused.
const (
	FestschreibungUnset Festschreibung = iota
	// NotFestgeschrieben imports the batch open: the tax advisor checks the
	// accounts and locks it in DATEV.
	NotFestgeschrieben
	// Festgeschrieben imports the batch locked.
	Festgeschrieben
)

// RevenueAccount is the revenue account (Gegenkonto) of one VAT rate.
type RevenueAccount struct {
	// Rate is the VAT rate in percent: 19, 7, 0.
	Rate money.Amount
	// Account is a Sachkonto of at most Sachkontenlänge digits.
	Account int
	// Automatic marks an Automatikkonto: DATEV takes the VAT out of the
	// gross itself, so no BU-Schlüssel is written (one would be refused or
	// tax twice).
	Automatic bool
	// TaxKey is the BU-Schlüssel written for an account that is not
	// automatic, up to 4 digits: "3" (USt 19 %), "2" (USt 7 %). Empty on a
	// non-automatic account at 19 % or 7 % means that default; empty at 0 %
	// writes none; it must be empty on an Automatikkonto.
	TaxKey string
}

// DATEVAccounts is the account mapping of WriteDATEV.
type DATEVAccounts struct {
	// Debit is the Konto debited with each order's gross: a debtor (a
	// personal account of Sachkontenlänge + 1 digits) or a Sachkonto such
	// as a clearing account. 0 is the collective debtor 10000 (1 followed
	// by Sachkontenlänge zeros).
	Debit int
	// Revenue lists the revenue account per VAT rate; nil is the SKR's
	// defaults (DefaultRevenueAccounts).
	Revenue []RevenueAccount
}

// DefaultRevenueAccounts returns the default revenue accounts of a chart
// at a Sachkontenlänge (4–8; longer lengths append zeros: 8400 → 84000):
// SKR03 8400 (19 %, automatic), 8300 (7 %, automatic), 8200 (0 %, no tax);
// SKR04 4400, 4300, 4200. It returns nil for another chart or length.
func DefaultRevenueAccounts(skr SKR, accountLength int) []RevenueAccount {
	if accountLength < 4 || accountLength > 8 {
		return nil
	}
	var a19, a7, a0 int
	switch skr {
	case SKR03:
		a19, a7, a0 = 8400, 8300, 8200
	case SKR04:
		a19, a7, a0 = 4400, 4300, 4200
	default:
		return nil
	}
	scale := 1
	for range accountLength - 4 {
		scale *= 10
	}
	return []RevenueAccount{
		{Rate: money.FromInt(19), Account: a19 * scale, Automatic: true},
		{Rate: money.FromInt(7), Account: a7 * scale, Automatic: true},
		{Rate: money.Zero, Account: a0 * scale},
	}
}

// DATEVOptions are the options of WriteDATEV. Created, Berater, Mandant,
// FiscalYearStart, From, To and Festschreibung are required; each value is
// checked, and a wrong one is an error wrapping ErrInvalidArgument that
// names the field.
type DATEVOptions struct {
	// Created is the file's creation time (header "Erzeugt am", to the
	// millisecond, in UTC). It is an input so that the same orders give
	// the same bytes; it is never read from the clock.
	Created time.Time
	// Berater is the tax advisor's number, 1001–9999999; Mandant the
	// client's, 1–99999.
	Berater, Mandant int
	// FiscalYearStart is the first day of the fiscal year (WJ-Beginn), the
	// first of a month. DATEV takes the year of every Belegdatum from it.
	FiscalYearStart time.Time
	// AccountLength is the Sachkontenlänge, 4–8; 0 means 4. It must be the
	// client's in DATEV.
	AccountLength int
	// From and To are the days the batch covers (Datum vom, Datum bis),
	// inclusive, inside the fiscal year. Orders on other days are excluded.
	From, To time.Time
	// Label is the batch's name in the advisor's list (Bezeichnung), up to
	// 30 letters, digits, spaces, "_", "." and "/"; empty is "Orders
	// DD.MM.YYYY" or "Orders DD.MM.YYYY/DD.MM.YYYY".
	Label string
	// Festschreibung locks the batch or not; see Festschreibung.
	Festschreibung Festschreibung
	// Currency is the batch's currency (WKZ); empty is "EUR". Orders in
	// another currency are excluded.
	Currency string
	// AssumedCurrency is the currency of orders whose vendor names none
	// (Attivita, Inventorum); empty excludes them.
	AssumedCurrency string
	// SKR is the chart of accounts, written in the header and giving the
	// default accounts. It may be empty only when Accounts.Revenue is given.
	SKR SKR
	// Accounts maps debit and revenue accounts; nil is the SKR's defaults.
	Accounts *DATEVAccounts
	// Location is where an order's Created time is read as a day; nil is
	// UTC. A German shop's day is time.LoadLocation("Europe/Berlin").
	Location *time.Location
}

// datevConfig is DATEVOptions checked and completed.
type datevConfig struct {
	DATEVOptions
	debit    int
	revenue  []RevenueAccount
	from, to date
	fyStart  date
}

// date is a calendar day.
type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date { y, m, d := t.Date(); return date{y, m, d} }

func (d date) time() time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }

func (d date) before(e date) bool { return d.time().Before(e.time()) }

// yyyymmdd is the header's date format.
func (d date) yyyymmdd() string { return fmt.Sprintf("%04d%02d%02d", d.y, int(d.m), d.d) }

// dotted is the German date: 01.03.2024.
func (d date) dotted() string { return fmt.Sprintf("%02d.%02d.%04d", d.d, int(d.m), d.y) }

func (o *DATEVOptions) check() (*datevConfig, error) {
	bad := func(format string, args ...any) (*datevConfig, error) {
		return nil, fmt.Errorf("%w: DATEVOptions."+format, append([]any{ErrInvalidArgument}, args...)...)
	}
	if o == nil {
		return bad("%s", "nil: Created, Berater, Mandant, FiscalYearStart, From, To and Festschreibung are required")
	}
	c := &datevConfig{DATEVOptions: *o}
	if c.Created.IsZero() {
		return bad("Created is zero: the creation time is an input, so the same orders give the same file")
	}
	if y := c.Created.UTC().Year(); y < 1000 || y > 9999 {
		return bad("Created %s: want a year of four digits", c.Created.UTC().Format(time.RFC3339))
	}
	if c.Berater < 1001 || c.Berater > 9999999 {
		return bad("Berater %d is outside 1001–9999999", c.Berater)
	}
	if c.Mandant < 1 || c.Mandant > 99999 {
		return bad("Mandant %d is outside 1–99999", c.Mandant)
	}
	if c.AccountLength == 0 {
		c.AccountLength = 4
	}
	if c.AccountLength < 4 || c.AccountLength > 8 {
		return bad("AccountLength %d is outside 4–8 (Sachkontenlänge)", c.AccountLength)
	}
	if c.FiscalYearStart.IsZero() {
		return bad("FiscalYearStart is zero")
	}
	c.fyStart = dateOf(c.FiscalYearStart)
	if c.fyStart.d != 1 || c.fyStart.y < 1000 || c.fyStart.y > 9998 {
		return bad("FiscalYearStart %s: want the first of a month", c.fyStart.yyyymmdd())
	}
	fyEnd := dateOf(c.fyStart.time().AddDate(1, 0, -1))
	if c.From.IsZero() || c.To.IsZero() {
		return bad("From and To are required: the days the batch covers")
	}
	c.from, c.to = dateOf(c.From), dateOf(c.To)
	if c.to.before(c.from) {
		return bad("To %s is before From %s", c.to.yyyymmdd(), c.from.yyyymmdd())
	}
	if c.from.before(c.fyStart) || fyEnd.before(c.to) {
		return bad("From %s and To %s: the period must lie in the fiscal year %s–%s", c.from.yyyymmdd(), c.to.yyyymmdd(),
			c.fyStart.yyyymmdd(), fyEnd.yyyymmdd())
	}
	if c.Label == "" {
		c.Label = "Orders " + c.from.dotted()
		if c.to != c.from {
			c.Label += "/" + c.to.dotted()
		}
	} else if !labelOK(c.Label) {
		return bad("Label %q: want up to 30 letters, digits, spaces, _ . and / (Windows-1252)", c.Label)
	}
	switch c.Festschreibung {
	case NotFestgeschrieben, Festgeschrieben:
	default:
		return bad("Festschreibung %d: choose NotFestgeschrieben or Festgeschrieben (ask the tax advisor)", int(c.Festschreibung))
	}
	if c.Currency == "" {
		c.Currency = "EUR"
	}
	if !isoCurrency.MatchString(c.Currency) {
		return bad("Currency %q is not an ISO 4217 code such as EUR", c.Currency)
	}
	if c.AssumedCurrency != "" && !isoCurrency.MatchString(c.AssumedCurrency) {
		return bad("AssumedCurrency %q is not an ISO 4217 code such as EUR", c.AssumedCurrency)
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	var acc DATEVAccounts
	if c.Accounts != nil {
		acc = *c.Accounts
	}
	switch c.SKR {
	case SKR03, SKR04:
	case "":
		if acc.Revenue == nil {
			return bad("SKR is empty and Accounts.Revenue is not given: name the chart (SKR03, SKR04) or the accounts")
		}
	default:
		return bad("SKR %q: want SKR03 or SKR04", string(c.SKR))
	}
	limit := pow10(c.AccountLength) // Sachkonten are below it, debtors of one digit more
	c.debit = acc.Debit
	if c.debit == 0 {
		c.debit = limit
	}
	if c.debit < 1 || c.debit >= limit*10 {
		return bad("Accounts.Debit %d does not fit Sachkontenlänge %d (a Sachkonto of up to %d digits or a personal account of %d)",
			c.debit, c.AccountLength, c.AccountLength, c.AccountLength+1)
	}
	c.revenue = append([]RevenueAccount(nil), acc.Revenue...) // defaults are filled into our copy
	if acc.Revenue == nil {
		c.revenue = DefaultRevenueAccounts(c.SKR, c.AccountLength)
	}
	for i, r := range c.revenue {
		name := fmt.Sprintf("Accounts.Revenue[%d]", i)
		if r.Rate.IsNegative() {
			return bad("%s.Rate %s is negative", name, r.Rate)
		}
		for _, p := range c.revenue[:i] {
			if p.Rate.Equal(r.Rate) {
				return bad("%s.Rate %s is mapped twice", name, r.Rate)
			}
		}
		if r.Account < 1 || r.Account >= limit {
			return bad("%s.Account %d does not fit Sachkontenlänge %d", name, r.Account, c.AccountLength)
		}
		if r.Account == c.debit {
			return bad("%s.Account %d is Accounts.Debit too", name, r.Account)
		}
		switch {
		case r.Automatic && r.TaxKey != "":
			return bad("%s.TaxKey %q on an Automatikkonto: DATEV takes the VAT out itself", name, r.TaxKey)
		case r.TaxKey != "" && !taxKeyOK(r.TaxKey):
			return bad("%s.TaxKey %q: want 1 to 4 digits", name, r.TaxKey)
		case !r.Automatic && r.TaxKey == "" && !r.Rate.IsZero():
			switch {
			case r.Rate.Equal(money.FromInt(19)):
				c.revenue[i].TaxKey = "3"
			case r.Rate.Equal(money.FromInt(7)):
				c.revenue[i].TaxKey = "2"
			default:
				return bad("%s: the account is not automatic and has no TaxKey for %s %%", name, r.Rate)
			}
		}
	}
	return c, nil
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

func taxKeyOK(s string) bool {
	if len(s) == 0 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// labelOK is DATEV's rule for the header's Bezeichnung, ^["][\w.-/ ]{0,30}["]$
// (in .NET, \w is a letter, digit or "_"; ".-/" is the range of "." and "/").
func labelOK(s string) bool {
	if utf8.RuneCountInString(s) > 30 {
		return false
	}
	for _, r := range s {
		if _, ok := cp1252Byte(r); !ok {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_./ ", r) {
			return false
		}
	}
	return true
}

// datevColumns are the 125 column headings of a Buchungsstapel, format
// version 13, as DATEV's own files spell them (its "Zusatzinformation- Inhalt"
// has no space before the hyphen).
var datevColumns = func() []string {
	c := []string{
		"Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz",
		"Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto",
		"Buchungstext", "Postensperre", "Diverse Adressnummer", "Geschäftspartnerbank", "Sachverhalt", "Zinssperre",
		"Beleglink",
	}
	for i := 1; i <= 8; i++ {
		c = append(c, fmt.Sprintf("Beleginfo - Art %d", i), fmt.Sprintf("Beleginfo - Inhalt %d", i))
	}
	c = append(c, "KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "Kost-Menge", "EU-Land u. UStID (Bestimmung)",
		"EU-Steuersatz (Bestimmung)", "Abw. Versteuerungsart", "Sachverhalt L+L", "Funktionsergänzung L+L",
		"BU 49 Hauptfunktionstyp", "BU 49 Hauptfunktionsnummer", "BU 49 Funktionsergänzung")
	for i := 1; i <= 20; i++ {
		c = append(c, fmt.Sprintf("Zusatzinformation - Art %d", i), fmt.Sprintf("Zusatzinformation- Inhalt %d", i))
	}
	return append(c, "Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr", "Zugeordnete Fälligkeit",
		"Skontotyp", "Auftragsnummer", "Buchungstyp", "USt-Schlüssel (Anzahlungen)", "EU-Land (Anzahlungen)",
		"Sachverhalt L+L (Anzahlungen)", "EU-Steuersatz (Anzahlungen)", "Erlöskonto (Anzahlungen)", "Herkunft-Kz",
		"Buchungs GUID", "KOST-Datum", "SEPA-Mandatsreferenz", "Skontosperre", "Gesellschaftername", "Beteiligtennummer",
		"Identifikationsnummer", "Zeichnernummer", "Postensperre bis", "Bezeichnung SoBil-Sachverhalt",
		"Kennzeichen SoBil-Buchung", "Festschreibung", "Leistungsdatum", "Datum Zuord. Steuerperiode", "Fälligkeit",
		"Generalumkehr (GU)", "Steuersatz", "Land", "Abrechnungsreferenz", "BVV-Position", "EU-Land u. UStID (Ursprung)",
		"EU-Steuersatz (Ursprung)", "Abw. Skontokonto")
}()

// datevTextColumns are the 1-based columns of text type: DATEV wants them
// quoted, empty ones as "". The others (amounts, numbers, accounts, dates)
// are never quoted.
var datevTextColumns = func() map[int]bool {
	m := map[int]bool{2: true, 3: true, 6: true, 9: true, 11: true, 12: true, 14: true, 16: true, 20: true,
		37: true, 38: true, 40: true, 42: true, 91: true, 95: true, 96: true, 98: true, 102: true, 103: true, 105: true,
		107: true, 109: true, 110: true, 112: true, 118: true, 120: true, 121: true, 123: true}
	for i := 21; i <= 36; i++ {
		m[i] = true // Beleginfo
	}
	for i := 48; i <= 87; i++ {
		m[i] = true // Zusatzinformation
	}
	return m
}()

// The columns WriteDATEV fills, 1-based, and the text limits it keeps.
const (
	colUmsatz         = 1
	colSollHaben      = 2
	colKonto          = 7
	colGegenkonto     = 8
	colBU             = 9
	colBelegdatum     = 10
	colBelegfeld1     = 11
	colBuchungstext   = 14
	colBeleginfoArt1  = 21
	colBeleginfoText1 = 22
	colFestschreibung = 114

	maxBelegfeld1   = 36
	maxBuchungstext = 60
	maxBeleginfoArt = 20
	maxBeleginfo    = 210
	maxBookings     = 99999
)

// maxUmsatz is DATEV's largest Umsatz, 9999999999,99 (ten digits before
// the comma).
var maxUmsatz = money.MustParse("9999999999.99")

// WriteDATEV writes the orders as a DATEV EXTF Buchungsstapel (header
// version 700, category 21 "Buchungsstapel", format version 13): the
// header line, the 125 column headings and one booking per order and VAT
// rate, in the order of orders. The file is Windows-1252 with CRLF line
// ends; name it EXTF_<something>.csv, as DATEV's batch import looks for
// that name.
//
// The accounts, the conversion rules per API and the reasons an order is
// excluded are in the package's section "Exports for the bookkeeper"
// (export.go). Every order either gives bookings or is in the summary's
// Excluded with its reason; the summary's Rates sum, to the cent, to the
// gross of the booked orders. A wrong option writes nothing and returns an
// error wrapping ErrInvalidArgument that names it; the file is written
// with one Write, so an error of w leaves no half batch behind.
func WriteDATEV(w io.Writer, orders []Order, opts *DATEVOptions) (*ExportSummary, error) {
	c, err := opts.check()
	if err != nil {
		return nil, err
	}
	sum := &ExportSummary{}
	var totals rateTotals
	var rows [][]string
	for i := range orders {
		o := &orders[i]
		booking, reason := c.bookings(o, sum)
		if reason != "" {
			sum.Excluded = append(sum.Excluded, Exclusion{API: o.API, ID: o.ID, Number: o.Number, Reason: reason})
			continue
		}
		sum.Orders++
		cur := orderCurrency(o, c.AssumedCurrency)
		for j := range booking {
			b := &booking[j]
			n := 0
			if b.row != nil {
				rows = append(rows, b.row)
				n = 1
			}
			totals.add(cur, &b.amount, Figure{}, n)
		}
	}
	if len(rows) > maxBookings {
		return nil, fmt.Errorf("%w: %d bookings: DATEV takes at most %d per file; export fewer orders per call", ErrInvalidArgument, len(rows), maxBookings)
	}
	sum.Rates = totals.sorted()
	sum.Bookings = len(rows)

	out := make([]byte, 0, 2048+len(rows)*256)
	out = appendCP1252(out, c.header())
	out = append(out, '\r', '\n')
	out = appendDATEVRow(out, datevColumns, allText)
	for _, r := range rows {
		out = appendDATEVRow(out, r, datevTextColumns)
	}
	if _, err := w.Write(out); err != nil {
		return nil, err
	}
	return sum, nil
}

// allText quotes every field: the column headings line.
var allText = func() map[int]bool {
	m := map[int]bool{}
	for i := range datevColumns {
		m[i+1] = true
	}
	return m
}()

// header returns the EXTF header line, its 31 fields as DATEV's example
// has them (fields 7, 23, 25, 26, 28 and 29 empty; 9, 10, 18, 24, 30 and 31
// empty quotes).
func (c *datevConfig) header() string {
	festschreibung := "0"
	if c.Festschreibung == Festgeschrieben {
		festschreibung = "1"
	}
	created := c.Created.UTC()
	f := []string{
		`"EXTF"`, "700", "21", `"Buchungsstapel"`, "13",
		created.Format("20060102150405") + fmt.Sprintf("%03d", created.Nanosecond()/1e6),
		"", `"RE"`, `""`, `""`,
		strconv.Itoa(c.Berater), strconv.Itoa(c.Mandant), c.fyStart.yyyymmdd(), strconv.Itoa(c.AccountLength),
		c.from.yyyymmdd(), c.to.yyyymmdd(), quote(c.Label), `""`,
		"1", "0", festschreibung, quote(c.Currency),
		"", `""`, "", "", quote(string(c.SKR)), "", "", `""`, `""`,
	}
	return strings.Join(f, ";")
}

// booking is one DATEV booking of an order, or a rate whose gross is zero
// (row nil): it counts in the sums and is not written.
type booking struct {
	amount rateAmount
	row    []string
}

// bookings returns the order's bookings, or the reason it cannot be
// booked. Notices about its texts go to sum.
func (c *datevConfig) bookings(o *Order, sum *ExportSummary) ([]booking, string) {
	if !booked(o.Status) {
		return nil, "status " + o.Status.String() + ": not booked"
	}
	if o.Created.IsZero() {
		return nil, "no order date: no Belegdatum"
	}
	day := dateOf(o.Created.In(c.Location))
	if day.before(c.from) || c.to.before(day) {
		return nil, fmt.Sprintf("dated %s, outside the batch's period %s–%s", day.dotted(), c.from.dotted(), c.to.dotted())
	}
	if d := o.Differences(); len(d) > 0 {
		parts := make([]string, len(d))
		for i, c := range d {
			parts[i] = c.String()
		}
		return nil, "figures do not add up: " + strings.Join(parts, "; ")
	}
	cur := orderCurrency(o, c.AssumedCurrency)
	switch {
	case cur == "":
		return nil, "the vendor names no currency and DATEVOptions.AssumedCurrency is empty"
	case cur != c.Currency:
		return nil, fmt.Sprintf("currency %s is not the batch's %s (foreign-currency bookings are not written)", cur, c.Currency)
	}
	rates, ok := vatBreakdown(o)
	if !ok {
		reason := "no VAT breakdown (net and tax per rate) to book from"
		if len(o.Notes) > 0 {
			reason += ": " + strings.Join(o.Notes, "; ")
		}
		return nil, reason
	}
	if !o.Totals.Gross.Known() {
		return nil, "no gross total to check the VAT breakdown against"
	}
	var total money.Amount
	for _, r := range rates {
		total = total.Add(r.gross)
	}
	if gross := o.Totals.Gross.Amount.RoundCents(); !total.Equal(gross) {
		return nil, fmt.Sprintf("the VAT breakdown sums to %s, the order's gross is %s", total.StringFixed(2), gross.StringFixed(2))
	}
	if total.IsZero() {
		return nil, "gross 0.00: nothing to book"
	}

	notice := func(field, was, now, reason string) {
		sum.Notices = append(sum.Notices, Notice{API: o.API, ID: o.ID, Field: field, Was: was, Now: now, Reason: reason})
	}
	number := o.Number
	if number == "" {
		number = o.ID
	}
	belegfeld, replaced, cut := belegfeld1(number)
	switch {
	case replaced && cut:
		notice("Belegfeld 1", number, belegfeld, "characters outside DATEV's set replaced; cut to 36 characters")
	case replaced:
		notice("Belegfeld 1", number, belegfeld, "characters outside DATEV's set replaced")
	case cut:
		notice("Belegfeld 1", number, belegfeld, "cut to 36 characters")
	}
	text := o.API.title()
	for _, part := range []string{o.Number, customerName(o)} {
		if part = strings.TrimSpace(part); part != "" {
			text += " " + part
		}
	}
	buchungstext := c.text("Buchungstext", text, maxBuchungstext, notice)
	info := c.text("Beleginfo - Inhalt 1", string(o.API)+" "+o.ID, maxBeleginfo, notice)
	festschreibung := "0"
	if c.Festschreibung == Festgeschrieben {
		festschreibung = "1"
	}

	var out []booking
	for _, r := range rates {
		acc := -1
		for i, a := range c.revenue {
			if a.Rate.Equal(r.rate) {
				acc = i
			}
		}
		if acc < 0 {
			return nil, fmt.Sprintf("no revenue account for VAT rate %s %% (DATEVOptions.Accounts.Revenue)", r.rate)
		}
		if r.gross.IsZero() {
			out = append(out, booking{amount: r})
			continue
		}
		umsatz, sh := r.gross, "S"
		if umsatz.IsNegative() {
			umsatz, sh = umsatz.Neg(), "H"
		}
		if umsatz.Cmp(maxUmsatz) > 0 {
			return nil, fmt.Sprintf("gross %s at %s %% exceeds DATEV's largest Umsatz 9999999999,99", umsatz.StringFixed(2), r.rate)
		}
		a := c.revenue[acc]
		bu := ""
		if !a.Automatic {
			bu = a.TaxKey
		}
		row := make([]string, len(datevColumns))
		row[colUmsatz-1] = umsatz.StringDE(2)
		row[colSollHaben-1] = sh
		row[colKonto-1] = strconv.Itoa(c.debit)
		row[colGegenkonto-1] = strconv.Itoa(a.Account)
		row[colBU-1] = bu
		row[colBelegdatum-1] = fmt.Sprintf("%02d%02d", day.d, int(day.m))
		row[colBelegfeld1-1] = belegfeld
		row[colBuchungstext-1] = buchungstext
		row[colBeleginfoArt1-1] = "Bestellung"
		row[colBeleginfoText1-1] = info
		row[colFestschreibung-1] = festschreibung
		out = append(out, booking{amount: r, row: row})
	}
	for _, b := range out {
		if b.row == nil {
			notice("Umsatz", "0.00", "", fmt.Sprintf("the gross at %s %% is 0,00: DATEV refuses a zero Umsatz, no booking written", b.amount.rate))
		}
	}
	return out, ""
}

// title is the API's name as a vendor spells it: "VersaCommerce".
func (a API) title() string {
	switch a {
	case APIAttivita:
		return "Attivita"
	case APIInventorum:
		return "Inventorum"
	case APIVersaCommerce:
		return "VersaCommerce"
	case APIAdility:
		return "Adility"
	}
	return string(a)
}

// customerName is the company of the billing address, else the customer's
// name.
func customerName(o *Order) string {
	if b := o.Customer.Billing; b != nil && b.Company != "" {
		return b.Company
	}
	return o.Customer.Name
}

// text makes s fit a DATEV text field of max characters: a control
// character becomes a space, a character Windows-1252 does not have (or
// invalid UTF-8) cp1252Substitute, and the text is cut so that, with its
// quotes doubled, it has at most max characters. Each change is a notice.
func (c *datevConfig) text(field, s string, max int, notice func(field, was, now, reason string)) string {
	var b strings.Builder
	var replaced, controls bool
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0):
			b.WriteByte(' ')
			controls = true
		default:
			if _, ok := cp1252Byte(r); !ok {
				b.WriteRune(cp1252Substitute)
				replaced = true
				continue
			}
			b.WriteRune(r)
		}
	}
	clean := b.String()
	n, cut := 0, len(clean)
	for i, r := range clean {
		w := 1
		if r == '"' {
			w = 2
		}
		if n+w > max {
			cut = i
			break
		}
		n += w
	}
	out := clean[:cut]
	var reasons []string
	if controls {
		reasons = append(reasons, "control characters written as spaces")
	}
	if replaced {
		reasons = append(reasons, fmt.Sprintf("characters Windows-1252 does not have written as %q", cp1252Substitute))
	}
	if cut < len(clean) {
		reasons = append(reasons, fmt.Sprintf("cut to %d characters", max))
	}
	if len(reasons) > 0 {
		notice(field, s, out, strings.Join(reasons, "; "))
	}
	return out
}

// belegfeld1 writes an order number in the characters DATEV allows in
// Belegfeld 1 — A–Z, a–z, 0–9 and _ $ % - / (the part of its rule that
// holds under every reading) — at most 36 of them: ä ö ü ß become ae oe
// ue ss (Ä Ö Ü: Ae Oe Ue), any other character "-".
func belegfeld1(s string) (out string, replaced, cut bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', strings.ContainsRune("_$%-/", r):
			b.WriteRune(r)
		default:
			replaced = true
			if t, ok := umlauts[r]; ok {
				b.WriteString(t)
			} else {
				b.WriteByte('-')
			}
		}
	}
	out = b.String()
	if len(out) > maxBelegfeld1 {
		out, cut = out[:maxBelegfeld1], true
	}
	return out, replaced, cut
}

var umlauts = map[rune]string{'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "Ae", 'Ö': "Oe", 'Ü': "Ue", 'ß': "ss"}

// quote writes a text field: in double quotes, inner quotes doubled.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// appendDATEVRow appends one line: the fields in Windows-1252, text
// columns quoted, separated by semicolons, ended by CRLF.
func appendDATEVRow(dst []byte, fields []string, text map[int]bool) []byte {
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, ';')
		}
		if text[i+1] {
			f = quote(f)
		}
		dst = appendCP1252(dst, f)
	}
	return append(dst, '\r', '\n')
}
