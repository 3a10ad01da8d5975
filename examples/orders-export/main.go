// Command orders-export turns one day's orders from all four APIs into one
// bookkeeping file: a semicolon-separated CSV with a row per order line,
// every figure traced (given by the vendor or derived by its rule), and a
// summary of the VAT per rate.
//
//	go run ./examples/orders-export                  # on the fakes, 2024-03-01
//	go run ./examples/orders-export -day 2025-01-31 -o orders.csv -vat vat.csv
//	go run ./examples/orders-export -format datev -berater 29098 -mandant 55003 -o EXTF_orders.csv
//
// -format datev writes a DATEV EXTF Buchungsstapel instead (Windows-1252,
// SKR03 by default, EUR assumed where a vendor names no currency) and lists
// on standard error the gross per rate, every order not booked with its
// reason, and every text changed to fit; see orderkit.WriteDATEV.
//
// Each API runs against its real account when its credentials are in the
// environment (the same variables as the other examples: ATTIVITA_TOKEN,
// ATTIVITA_BASE_URL; INVENTORUM_TOKEN, INVENTORUM_BASE_URL;
// VERSACOMMERCE_SHOP, VERSACOMMERCE_API_KEY, VERSACOMMERCE_API_PASSWORD,
// VERSACOMMERCE_BASE_URL; ADILITY_API_KEY, ADILITY_BASE_URL, ADILITY_FORMAT)
// and against its in-memory fake, seeded with demo orders on a fixed clock,
// when they are not. The export only reads (Attivita's sandbox setting
// does not apply). Adility has no order list: pass the order ids to export
// with -adility-order.
//
// Numbers are written the German way (1234,50) unless -numbers point asks
// for 1234.50. Amounts are rounded to cents; unit prices and rates are
// written exactly as the vendor sent or the rule gave them. An empty cell
// is a figure the vendor does not send. A line's net and gross are before
// its line_discount; order_gross is after every discount. Orders whose figures do not add up
// are exported with the difference in the checks column and listed on
// standard error; the exit status is 0 all the same, as the file is
// complete.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	cancel()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "orders-export: "+err.Error())
		}
		os.Exit(1)
	}
}

// fakeDay is the day the fakes' orders are on; their clocks stand still on
// it, so the export is the same on every run.
var fakeDay = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// config is what the flags say.
type config struct {
	day           time.Time
	adilityOrders []string
	csv           orderkit.CSVOptions
	datev         *orderkit.DATEVOptions // nil: -format csv
}

// run is the program; main only wires it to the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("orders-export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	day := fs.String("day", "", "the day to export, `YYYY-MM-DD` in UTC (default: today, or 2024-03-01 when every API runs on its fake)")
	out := fs.String("o", "-", "the order lines CSV, a `file` or - for standard output")
	vat := fs.String("vat", "", "the VAT summary CSV `file` (default: printed on standard error)")
	numbers := fs.String("numbers", "de", "number format: de (1234,50) or point (1234.50)")
	var adilityIDs stringList
	fs.Var(&adilityIDs, "adility-order", "an Adility order `id` to export (repeat, or comma-separated); Adility has no order list")
	format := fs.String("format", "csv", "the file: csv (order lines and VAT summary) or datev (an EXTF Buchungsstapel; name it EXTF_….csv)")
	currency := fs.String("currency", "", "the `code` assumed where a vendor names no currency (default: none for csv, EUR for datev)")
	var d datevFlags
	fs.IntVar(&d.berater, "berater", 0, "DATEV Beraternummer (required with -format datev, 1001 on the fakes)")
	fs.IntVar(&d.mandant, "mandant", 0, "DATEV Mandantennummer (required with -format datev, 1 on the fakes)")
	fs.StringVar(&d.fyStart, "fiscal-year-start", "", "DATEV: the first day of the fiscal year, `YYYY-MM-DD` (default: 1 January of -day's year)")
	fs.StringVar(&d.skr, "skr", "03", "DATEV: chart of accounts, 03 or 04")
	fs.IntVar(&d.festschreibung, "festschreibung", 0, "DATEV: 1 imports the batch locked, 0 open for the tax advisor to check")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := config{adilityOrders: adilityIDs, csv: orderkit.CSVOptions{AssumedCurrency: *currency}}
	switch *numbers {
	case "de":
	case "point":
		cfg.csv.DecimalPoint = true
	default:
		return fmt.Errorf("-numbers %q: want de or point", *numbers)
	}
	if *format != "csv" && *format != "datev" {
		return fmt.Errorf("-format %q: want csv or datev", *format)
	}

	sources, err := connect(getenv, stderr)
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range sources {
			s.stop()
		}
	}()
	allFake := true
	for _, s := range sources {
		allFake = allFake && s.fake
	}
	switch {
	case *day != "":
		t, err := time.Parse(time.DateOnly, *day)
		if err != nil {
			return fmt.Errorf("-day %q is not a date like 2024-03-01", *day)
		}
		cfg.day = t
	case allFake:
		cfg.day = fakeDay
	default:
		cfg.day = time.Now().UTC().Truncate(24 * time.Hour)
	}

	var orders []orderkit.Order
	for _, s := range sources {
		got, err := s.read(ctx, cfg)
		if err != nil {
			return fmt.Errorf("%s: %w", s.api, err)
		}
		orders = append(orders, got...)
	}
	slices.SortStableFunc(orders, func(a, b orderkit.Order) int {
		return cmp.Or(cmp.Compare(apiRank(a.API), apiRank(b.API)), a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})

	if *format == "datev" {
		if cfg.datev, err = d.options(cfg.day, *currency, allFake); err != nil {
			return err
		}
	}
	sum, err := writeFiles(cfg, orders, *out, *vat, stdout, stderr)
	if err != nil {
		return err
	}
	for _, o := range orders {
		if err := o.Err(); err != nil {
			fmt.Fprintln(stderr, err)
		}
	}
	if cfg.datev != nil {
		for _, r := range sum.Rates {
			fmt.Fprintf(stderr, "DATEV %s %s %%: %s gross in %d bookings\n", r.Currency, r.Rate, r.Gross.Amount.StringDE(2), r.Bookings)
		}
		for _, x := range sum.Excluded {
			fmt.Fprintln(stderr, "not booked:", x)
		}
		for _, n := range sum.Notices {
			fmt.Fprintln(stderr, "changed:", n)
		}
	} else if n := len(sum.Excluded); n > 0 {
		fmt.Fprintf(stderr, "%d canceled, failed or unknown orders are in the lines but not in the VAT summary\n", n)
	}
	fmt.Fprintf(stderr, "%d orders of %s exported\n", len(orders), cfg.day.Format(time.DateOnly))
	return nil
}

// datevFlags are the flags of -format datev.
type datevFlags struct {
	berater, mandant, festschreibung int
	fyStart, skr                     string
}

// options turns the flags into DATEVOptions for the batch of day. On the
// fakes the Berater and Mandant default to 1001 and 1, and the file's
// creation time is the fakes' fixed clock, so the file is the same on
// every run.
func (d datevFlags) options(day time.Time, currency string, fake bool) (*orderkit.DATEVOptions, error) {
	o := &orderkit.DATEVOptions{Berater: d.berater, Mandant: d.mandant, From: day, To: day, SKR: orderkit.SKR(d.skr),
		AssumedCurrency: cmp.Or(currency, "EUR"), Created: time.Now(), FiscalYearStart: time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC),
		Festschreibung: orderkit.NotFestgeschrieben}
	if fake {
		o.Berater, o.Mandant, o.Created = cmp.Or(o.Berater, 1001), cmp.Or(o.Mandant, 1), fakeDay.Add(24*time.Hour)
	}
	if d.fyStart != "" {
		t, err := time.Parse(time.DateOnly, d.fyStart)
		if err != nil {
			return nil, fmt.Errorf("-fiscal-year-start %q is not a date like 2024-01-01", d.fyStart)
		}
		o.FiscalYearStart = t
	}
	switch d.festschreibung {
	case 0:
	case 1:
		o.Festschreibung = orderkit.Festgeschrieben
	default:
		return nil, fmt.Errorf("-festschreibung %d: want 0 or 1", d.festschreibung)
	}
	return o, nil
}

// stringList is a flag that collects values, repeated or comma-separated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// create opens path for writing; "-" is w.
func create(path string, w io.Writer) (io.WriteCloser, error) {
	if path == "-" {
		return nopCloser{w}, nil
	}
	return os.Create(path)
}

func apiRank(a orderkit.API) int {
	return slices.Index([]orderkit.API{orderkit.APIAttivita, orderkit.APIInventorum, orderkit.APIVersaCommerce, orderkit.APIAdility}, a)
}

// ----- the files -----

// writeFiles writes the file of cfg.format to out; for csv also the VAT
// summary to vat ("" is standard error). It returns the summary.
func writeFiles(cfg config, orders []orderkit.Order, out, vat string, stdout, stderr io.Writer) (*orderkit.ExportSummary, error) {
	w, err := create(out, stdout)
	if err != nil {
		return nil, err
	}
	var sum *orderkit.ExportSummary
	if cfg.datev != nil {
		sum, err = orderkit.WriteDATEV(w, orders, cfg.datev)
	} else {
		err = orderkit.WriteLinesCSV(w, orders, &cfg.csv)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil || cfg.datev != nil {
		return sum, err
	}
	if vat == "" {
		fmt.Fprintln(stderr, "VAT per rate:")
		return orderkit.WriteVATCSV(stderr, orders, &cfg.csv)
	}
	f, err := create(vat, stdout)
	if err != nil {
		return nil, err
	}
	sum, err = orderkit.WriteVATCSV(f, orders, &cfg.csv)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return sum, err
}

// ----- the four APIs -----

// source reads one API's orders of a day, converted.
type source struct {
	api  orderkit.API
	fake bool
	read func(ctx context.Context, cfg config) ([]orderkit.Order, error)
	stop func()
}

// convert converts an order and keeps it, its differences included: they
// go into the file, not into an error.
func convert(c orderkit.Order, err error) (orderkit.Order, error) {
	if err != nil && !errors.Is(err, orderkit.ErrNotReconciled) {
		return c, err
	}
	return c, nil
}

// convertAll converts the orders of seq that keep accepts (nil keeps
// every one), their differences kept; it stops at the first error.
func convertAll[O any](seq iter.Seq2[O, error], keep func(*O) bool, common func(*O) (orderkit.Order, error)) ([]orderkit.Order, error) {
	var out []orderkit.Order
	for o, err := range seq {
		if err != nil {
			return nil, err
		}
		if keep != nil && !keep(&o) {
			continue
		}
		co, err := convert(common(&o))
		if err != nil {
			return nil, err
		}
		out = append(out, co)
	}
	return out, nil
}

func inDay(t, day time.Time) bool {
	return !t.Before(day) && t.Before(day.Add(24*time.Hour))
}

// connect builds the four sources from the environment, on fakes where
// credentials are missing.
func connect(getenv func(string) string, stderr io.Writer) ([]source, error) {
	var out []source
	stopAll := func() {
		for _, s := range out {
			s.stop()
		}
	}
	for _, f := range []func(func(string) string, io.Writer) (source, error){attivitaSource, inventorumSource, versacommerceSource, adilitySource} {
		s, err := f(getenv, stderr)
		if err != nil {
			stopAll()
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func attivitaSource(getenv func(string) string, stderr io.Writer) (source, error) {
	s := source{api: orderkit.APIAttivita, stop: func() {}}
	var fake *attivitatest.Server
	token := strings.TrimSpace(getenv("ATTIVITA_TOKEN"))
	opts := []orderkit.Option{orderkit.WithTimeout(30 * time.Second)}
	if token == "" {
		fake = attivitatest.NewServer()
		fake.SeedDemo()
		srv := httptest.NewServer(fake)
		s.fake, s.stop, token = true, srv.Close, attivitatest.DefaultToken
		opts = append(opts, orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)))
		fmt.Fprintln(stderr, "no ATTIVITA_TOKEN: Attivita orders come from the in-memory fake")
	} else {
		if base := strings.TrimSpace(getenv("ATTIVITA_BASE_URL")); base != "" {
			opts = append(opts, orderkit.WithBaseURL(base))
		}
	}
	c, err := attivita.NewClient(token, opts...)
	if err != nil {
		s.stop()
		return s, err
	}
	s.read = func(ctx context.Context, cfg config) ([]orderkit.Order, error) {
		if fake != nil {
			if err := seedAttivita(ctx, fake, c); err != nil {
				return nil, fmt.Errorf("attivita fake: %w", err)
			}
		}
		return convertAll(c.Orders.All(ctx), func(o *attivita.Order) bool { return inDay(o.OrderDate, cfg.day) }, (*attivita.Order).Common)
	}
	return s, nil
}

func inventorumSource(getenv func(string) string, stderr io.Writer) (source, error) {
	s := source{api: orderkit.APIInventorum, stop: func() {}}
	token := getenv("INVENTORUM_TOKEN")
	opts := []orderkit.Option{orderkit.WithTimeout(30 * time.Second)}
	if token == "" {
		srv := httptest.NewServer(seedInventorum())
		s.fake, s.stop, token = true, srv.Close, inventorumtest.DefaultAccessToken
		opts = append(opts, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
		fmt.Fprintln(stderr, "no INVENTORUM_TOKEN: Inventorum orders come from the in-memory fake")
	} else if u := getenv("INVENTORUM_BASE_URL"); u != "" {
		opts = append(opts, orderkit.WithBaseURL(u))
	}
	c, err := inventorum.NewClient(token, opts...)
	if err != nil {
		s.stop()
		return s, err
	}
	s.read = func(ctx context.Context, cfg config) ([]orderkit.Order, error) {
		var out []orderkit.Order
		// The list leaves the iPad channel out unless asked for it.
		for _, ch := range []inventorum.Channel{"", inventorum.ChannelIPad} {
			opts := &inventorum.ListOptions{Start: cfg.day, End: cfg.day.Add(24*time.Hour - time.Second), Channel: ch}
			got, err := convertAll(c.Orders.All(ctx, opts), nil, (*inventorum.Order).Common)
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
		return out, nil
	}
	return s, nil
}

func versacommerceSource(getenv func(string) string, stderr io.Writer) (source, error) {
	s := source{api: orderkit.APIVersaCommerce, stop: func() {}}
	shop, key, password := getenv("VERSACOMMERCE_SHOP"), getenv("VERSACOMMERCE_API_KEY"), getenv("VERSACOMMERCE_API_PASSWORD")
	opts := []orderkit.Option{orderkit.WithTimeout(30 * time.Second)}
	if key == "" {
		srv := httptest.NewServer(seedVersaCommerce())
		s.fake, s.stop = true, srv.Close
		shop, key, password = "", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword
		opts = append(opts, orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
		fmt.Fprintln(stderr, "no VERSACOMMERCE_API_KEY: VersaCommerce orders come from the in-memory fake")
	} else if u := getenv("VERSACOMMERCE_BASE_URL"); u != "" {
		opts = append(opts, orderkit.WithBaseURL(u))
	}
	c, err := versacommerce.NewClient(shop, key, password, opts...)
	if err != nil {
		s.stop()
		return s, err
	}
	s.read = func(ctx context.Context, cfg config) ([]orderkit.Order, error) {
		// The filter narrows the download; the day is checked here again,
		// as the page words created_at_min and _max the other way round.
		lo := &versacommerce.ListOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}}
		lo.CreatedAtMin = cfg.day.Add(-24 * time.Hour)
		lo.CreatedAtMax = cfg.day.Add(48 * time.Hour)
		return convertAll(c.Orders.All(ctx, lo), func(o *versacommerce.Order) bool { return inDay(o.CreatedAt, cfg.day) },
			(*versacommerce.Order).Common)
	}
	return s, nil
}

func adilitySource(getenv func(string) string, stderr io.Writer) (source, error) {
	s := source{api: orderkit.APIAdility, stop: func() {}}
	opts := []orderkit.Option{orderkit.WithTimeout(30 * time.Second)}
	switch f := strings.ToLower(strings.TrimSpace(getenv("ADILITY_FORMAT"))); f {
	case "", "json":
	case "xml":
		opts = append(opts, adility.WithFormat(adility.XML))
	default:
		return s, fmt.Errorf("ADILITY_FORMAT=%q: want json or xml", f)
	}
	key := getenv("ADILITY_API_KEY")
	var seeded []string
	if key == "" {
		fake := adilitytest.NewServer()
		fake.SetClock(func() time.Time { return fakeDay.Add(14*time.Hour + 5*time.Minute) })
		srv := httptest.NewServer(fake)
		s.fake, s.stop, key = true, srv.Close, adilitytest.DefaultAPIKey
		opts = append(opts, orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)))
		fmt.Fprintln(stderr, "no ADILITY_API_KEY: Adility orders come from the in-memory fake")
	} else {
		base := getenv("ADILITY_BASE_URL")
		if base == "" {
			base = adility.TestBaseURL
		}
		opts = append(opts, orderkit.WithBaseURL(base))
		if strings.TrimRight(base, "/") == adility.TestBaseURL {
			opts = append(opts, orderkit.WithInsecureHTTP()) // the documented test host is plain http
		}
	}
	c, err := adility.NewClient(key, opts...)
	if err != nil {
		s.stop()
		return s, err
	}
	s.read = func(ctx context.Context, cfg config) ([]orderkit.Order, error) {
		ids := cfg.adilityOrders
		if s.fake && len(ids) == 0 {
			if seeded == nil {
				if seeded, err = seedAdility(ctx, c); err != nil {
					return nil, fmt.Errorf("adility fake: %w", err)
				}
			}
			ids = seeded
		}
		if len(ids) == 0 {
			fmt.Fprintln(stderr, "Adility has no order list: pass -adility-order to export its orders")
		}
		var out []orderkit.Order
		for _, id := range ids {
			o, err := c.Orders.Get(ctx, adility.ID(id))
			if err != nil {
				return nil, fmt.Errorf("order %s: %w", id, err)
			}
			if !o.PurchasedAt.IsZero() && !inDay(o.PurchasedAt, cfg.day) {
				continue
			}
			co, err := convert(o.Common())
			if err != nil {
				return nil, err
			}
			out = append(out, co)
		}
		return out, nil
	}
	return s, nil
}
