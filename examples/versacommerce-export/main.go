// Command versacommerce-export writes the orders of a VersaCommerce shop
// that match the given filters as CSV to stdout, one row per order (code,
// date, customer, status, payment status, total, currency), and the number
// of orders to stderr.
//
//	versacommerce-export -status open -payment-status paid -since 2024-01-01
//
// -page-timeout bounds each page request (a call option on every page of
// the walk); a failure names the shop's request id for a support ticket.
//
// With VERSACOMMERCE_API_KEY set it reads VERSACOMMERCE_SHOP,
// VERSACOMMERCE_API_PASSWORD and, optionally, VERSACOMMERCE_BASE_URL. Without
// it, it runs on an in-memory fake shop with a few demo orders.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "versacommerce-export:", err)
		os.Exit(1)
	}
}

// run parses args, connects to the shop (or the fake) and exports.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("versacommerce-export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	status := fs.String("status", "", "order status: open, in_progress, canceled, closed, returned, open_or_in_progress")
	paymentStatus := fs.String("payment-status", "", "payment status: not_paid, paid, captured, reserved, …")
	since := fs.String("since", "", "only orders created on or after this day (YYYY-MM-DD, UTC)")
	pageTimeout := fs.Duration("page-timeout", 30*time.Second, "bound on each page request, retries included")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *pageTimeout <= 0 {
		return fmt.Errorf("-page-timeout %v must be positive", *pageTimeout)
	}
	opts := &versacommerce.ListOptions{Filter: versacommerce.Filter{
		Status:        versacommerce.OrderStatus(*status),
		PaymentStatus: versacommerce.PaymentStatus(*paymentStatus),
	}}
	if *since != "" {
		t, err := time.Parse(time.DateOnly, *since)
		if err != nil {
			return fmt.Errorf("-since %q is not a date like 2024-01-31", *since)
		}
		opts.CreatedAtMin = t
	}

	client, cleanup, err := connect(getenv, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	return export(ctx, client, opts, stdout, stderr, orderkit.CallTimeout(*pageTimeout))
}

// connect builds a client for the shop in the environment, or for a fake
// shop when there are no credentials.
func connect(getenv func(string) string, stderr io.Writer) (*versacommerce.Client, func(), error) {
	key := getenv("VERSACOMMERCE_API_KEY")
	if key == "" {
		fake := versacommercetest.NewServer()
		seedDemo(fake)
		srv := httptest.NewServer(fake)
		fmt.Fprintln(stderr, "no VERSACOMMERCE_API_KEY: using a fake shop with demo orders")
		c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
			orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
		if err != nil {
			srv.Close()
			return nil, nil, err
		}
		return c, srv.Close, nil
	}
	var opts []orderkit.Option
	if u := getenv("VERSACOMMERCE_BASE_URL"); u != "" {
		opts = append(opts, orderkit.WithBaseURL(u))
	}
	c, err := versacommerce.NewClient(getenv("VERSACOMMERCE_SHOP"), key, getenv("VERSACOMMERCE_API_PASSWORD"), opts...)
	if err != nil {
		return nil, nil, err
	}
	return c, func() {}, nil
}

// export walks every matching order and writes one CSV row each.
func export(ctx context.Context, c *versacommerce.Client, opts *versacommerce.ListOptions, stdout, stderr io.Writer, call ...orderkit.CallOption) error {
	w := csv.NewWriter(stdout)
	if err := w.Write([]string{"code", "date", "customer", "status", "payment_status", "total", "currency"}); err != nil {
		return err
	}
	n := 0
	for o, err := range c.Orders.All(ctx, opts, call...) {
		if err != nil {
			if errors.Is(err, orderkit.ErrUnauthorized) {
				return fmt.Errorf("the shop refused the API key or password: %w", err)
			}
			var e *orderkit.Error
			if errors.As(err, &e) && e.RequestID != "" {
				return fmt.Errorf("after %d orders (shop request id %s): %w", n, e.RequestID, err)
			}
			return err
		}
		row := []string{o.Code, o.CreatedAt.Format(time.DateOnly), customer(o), o.Status.String(), o.PaymentStatus.String(),
			o.Total.StringFixed(2), o.Currency}
		if err := w.Write(row); err != nil {
			return err
		}
		n++
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d orders\n", n)
	return nil
}

// customer names the buyer: the billing name, else the customer's email.
func customer(o versacommerce.Order) string {
	if a := o.BillingAddress; a != nil {
		if name := strings.TrimSpace(a.Firstname + " " + a.Lastname); name != "" {
			return name
		}
	}
	return o.CustomerEmail
}

func seedDemo(fake *versacommercetest.Server) {
	day := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	demo := []struct {
		first, last, email, status, payment, total string
		days                                       int
	}{
		{"Eduard", "Siebert", "siebert@example.com", "closed", "paid", "97.45", 0},
		{"Anna", "Schmidt", "anna@example.com", "open", "not_paid", "15.94", 3},
		{"Jörg", "Müller", "joerg@example.com", "in_progress", "paid", "1234.50", 10},
		{"Lena", "Weber, Dr.", "lena@example.com", "canceled", "not_paid", "8.49", 20},
		{"", "", "guest@example.com", "open", "paid", "42.00", 31},
	}
	for _, d := range demo {
		fake.AddOrder(versacommercetest.Order{
			CreatedAt: day.AddDate(0, 0, d.days), Status: d.status, PaymentStatus: d.payment,
			Total: money.MustParse(d.total), Subtotal: money.MustParse(d.total), CustomerEmail: d.email,
			BillingAddress: versacommercetest.Address{Firstname: d.first, Lastname: d.last, Street: "Hauptstraße",
				Streetnumber: "1", Zipcode: "30159", City: "Hannover", Country: "DE"},
		})
	}
}
