// Package orderkit is the shared vocabulary of four typed Go clients for
// commerce order APIs used by German shops, resellers and integrators.
// Import the package of the API you talk to, and this one for what they
// share:
//
//   - attivita: the Attivita software-licence reseller API — products with
//     customer prices and stock, orders that hand out licence keys, sandbox
//     mode, webhooks.
//   - inventorum: the Inventorum POS/retail API — order lists, a delta sync
//     from a checkpoint, basket checkout, OAuth2 refresh.
//   - versacommerce: the VersaCommerce shop API — orders with every filter,
//     count, items, payments, shipments, create.
//   - adility: the Adility distribution API — place, get and cancel orders
//     that return vouchers, in JSON or XML.
//
// money (Amount, an exact decimal that never passes through float64) and
// orderstate (one Status for all four) carry the values they share.
//
// # What every client shares
//
// Every client is built the same way and answers the same way:
//
//	c, err := attivita.NewClient(token, orderkit.WithRetry(5, time.Second, time.Minute))
//	order, err := c.Orders.Get(ctx, 1001, orderkit.CallTimeout(10*time.Second))
//
// What they share:
//
//   - Options for NewClient: WithBaseURL (the API root), WithHTTPClient,
//     WithRetry, WithRateLimit, WithLimiter, WithLogger, WithUserAgent,
//     WithHeader, WithTimeout, WithMaxResponseBytes, WithInsecureHTTP. A
//     client package adds its own (attivita.WithSandbox,
//     inventorum.WithAPIVersion, adility.WithFormat). Every option is
//     checked: a nil, negative or contradictory value, another client's
//     option, or a credential given as a header makes NewClient fail with
//     ErrInvalidArgument naming the option.
//   - Call options, last on every method: CallHeader, CallRetry, NoRetry,
//     CallTimeout, CaptureResponse (the answer's Response: status, headers,
//     attempts, request id, rate limit), and for creates Reference and
//     ResolveOutcome. A call option the method does not take is an error,
//     never ignored.
//   - Every client has Do for an endpoint the SDK does not wrap, through
//     the same auth, limits, retries and redaction.
//
// # One shape for the four clients
//
// Every client package follows the same rules, so that what is learnt on
// one reads the same on the others:
//
//	rule                 attivita              inventorum             versacommerce          adility
//	constructor          NewClient(token,      NewClient(token,       NewClient(shop, key,   NewClient(apiKey,
//	                       ...Option)            ...Option),            password,              ...Option)
//	                                             NewOAuth2Client        ...Option)
//	own options          WithSandbox           WithAPIVersion         —                      WithFormat
//	own call options     Sandbox(on)           —                      —                      —
//	services             Products, Orders,     Orders, Basket         Orders                 Orders, Vouchers
//	                     Webhooks
//	ids                  ID (string),          ID (int64)             ID (int64)             ID (string)
//	                     OrderNumber (int64)
//	quantities           int                   int                    int                    int
//	create               Orders.Create(ctx,    Basket.Create(ctx,     Orders.Create(ctx,     Orders.Place(ctx,
//	                       *OrderRequest)        *BasketRequest)        *OrderRequest)         *PlaceRequest)
//	lost create          *LostCreateError      *LostCreateError       *LostCreateError       *LostCreateError
//	lookup (reads only)  Orders.Resolve        Basket.Resolve         Orders.Resolve         Orders.Resolve
//	resend               —                     —                      —                      Orders.PlaceAgain
//	escape hatch         Do                    Do                     Do                     Do
//	fake                 attivitatest          inventorumtest         versacommercetest      adilitytest
//
// Methods take ctx, then path ids, then an options or request struct by
// pointer, then ...CallOption; lists come as a page call and an iterator
// (iter.Seq2). Every Resolve returns a Resolution[*Order] (Attivita's
// Webhooks.Resolve a Resolution[*Webhook]) with the same states. A client
// re-exports nothing of this package: its own options, errors and types
// are all it exports.
//
// # Errors
//
// A call that fails after it was sent returns an *Error: status, method,
// URL without query, the vendor's message and code, a body excerpt,
// attempts and the vendor's request id. Branch with errors.Is on the
// sentinels ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict,
// ErrRateLimited, ErrServer, ErrValidation (detail *ValidationError),
// ErrUnreachable (the request never reached the API), ErrOutcomeUnknown,
// ErrInvalidResponse, ErrResponseTooLarge, ErrRedirectRefused and
// ErrInvalidArgument (refused before sending). A 401 or 403 never matches
// ErrValidation. A vendor's coded refusal is an *APIError.
//
// # Lost creates
//
// A create (an order, a basket, a webhook) is retried only when the server
// surely did not act. When its answer is lost the error is a
// *LostCreateError matching ErrOutcomeUnknown; the client's Resolve method
// looks the order up and returns a Resolution: Created (with the order),
// NotCreated (as of a time; SafeToResend says whether a new create is
// safe), Ambiguous or Unresolvable. Resolve only reads: it never sends a
// create. Each client package documents what its lookup proves.
//
// # One order model
//
// Order is one typed order for all four APIs, for an ERP or bookkeeping
// system: each client's Order has a Common method that converts it with
// nothing guessed. Every amount is a Figure that says whether the vendor
// sent it (Given), a rule of the vendor's page gave it (Derived) or it is
// missing (Absent); the totals are reconciled to the cent, and an order
// that does not add up comes back whole with a *ReconciliationError
// (ErrNotReconciled) listing the differences.
//
// # Fakes for tests
//
// Each client package ships an in-memory fake of its API (attivitatest,
// inventorumtest, versacommercetest, adilitytest): NewServer(), the default
// credentials as Default… values, BaseURL(srv.URL), an in-process
// Transport(), Requests(), and one fault vocabulary: FailNext,
// FailNextOn, FailNextRetryAfter, DropNextBeforeActing,
// DropNextAfterActing, FailNextAfterActing, TruncateNextAfterActing and
// DelayNext.
//
// # Exports for the bookkeeper
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
//
// To see every client at work, run the quickstart on the fakes:
//
//	go run github.com/orderkit/orderkit/examples/quickstart
package orderkit
