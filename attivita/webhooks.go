package attivita

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/internal/wire"
)

// WebhooksService manages webhook subscriptions (beta): GET /api/webhooks,
// POST /api/webhooks and PATCH /api/webhooks/:id. The delivery payload and
// its signature are not documented by Attivita, so this package does not
// verify deliveries.
type WebhooksService service

// WebhookEvents are the events a webhook subscribes to.
type WebhookEvents struct {
	ProductOutOfStock   bool `json:"productOutOfStock"`
	ProductBackInStock  bool `json:"productBackInStock"`
	ProductPriceChanged bool `json:"productPriceChanged"`
}

// Any reports whether at least one event is switched on.
func (e WebhookEvents) Any() bool {
	return e.ProductOutOfStock || e.ProductBackInStock || e.ProductPriceChanged
}

// Webhook is a webhook subscription. Beyond url and events the API does not
// document its fields; the ones below are read when present.
type Webhook struct {
	ID        string
	URL       string
	Events    WebhookEvents
	Active    bool
	CreatedAt time.Time // UTC; zero when not sent
	UpdatedAt time.Time // UTC; zero when not sent
}

type webhookWire struct {
	ID        wire.ID       `json:"_id"`
	AltID     wire.ID       `json:"id"`
	URL       string        `json:"url"`
	Events    WebhookEvents `json:"events"`
	IsActive  *bool         `json:"isActive"`
	Active    *bool         `json:"active"`
	CreatedAt wire.Time     `json:"createdAt"`
	UpdatedAt wire.Time     `json:"updatedAt"`
}

func (w *webhookWire) webhook() Webhook {
	h := Webhook{ID: w.ID.String(), URL: w.URL, Events: w.Events, Active: true,
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time}
	if h.ID == "" {
		h.ID = w.AltID.String()
	}
	switch {
	case w.IsActive != nil:
		h.Active = *w.IsActive
	case w.Active != nil:
		h.Active = *w.Active
	}
	return h
}

// UnmarshalJSON reads a webhook with its id as "_id" or "id" and its
// switch as "isActive" or "active" (true when absent).
func (h *Webhook) UnmarshalJSON(b []byte) error {
	var w webhookWire
	if err := wire.Decode(b, &w); err != nil {
		return err
	}
	*h = w.webhook()
	return nil
}

// Secret is a webhook's signing secret ("whsec_..."). The API shows it only
// once, in the answer to Create. It prints, logs and marshals as
// "[REDACTED]" so it cannot leak into a log line or an error by accident;
// Reveal returns the value to store in a secret manager.
type Secret string

const redacted = "[REDACTED]"

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// String hides the secret.
func (s Secret) String() string { return redacted }

// Format hides the secret for every verb (%v, %s, %q, %x, %#v, ...).
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue hides the secret from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON hides the secret; store Reveal() instead.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(redacted) }

// CreatedWebhook is the answer to Create: the webhook and its secret.
type CreatedWebhook struct {
	Webhook Webhook
	// Secret signs the deliveries. Shown only here, only once.
	Secret Secret
}

// WebhookList is the answer to List.
type WebhookList struct {
	// BetaNotice is the API's notice that webhooks are in beta.
	BetaNotice string
	Webhooks   []Webhook
}

// WebhookParams creates a webhook.
type WebhookParams struct {
	// URL receives the deliveries: an absolute https URL (http only for
	// loopback test receivers).
	URL    string        `json:"url"`
	Events WebhookEvents `json:"events"`
}

// WebhookUpdate changes a webhook; nil fields are left as they are.
type WebhookUpdate struct {
	URL    *string        `json:"url,omitempty"`
	Events *WebhookEvents `json:"events,omitempty"`
	Active *bool          `json:"isActive,omitempty"`
}

func validateWebhookURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return pipeline.Invalid(api, "webhook URL %q is not an absolute http or https URL", raw)
	}
	// Hostname drops the port and the brackets of [::1].
	if u.Scheme == "http" && !pipeline.IsLoopback(u.Hostname()) {
		return pipeline.Invalid(api, "webhook URL must use https (http only to loopback)")
	}
	return nil
}

// List returns the account's webhooks.
//
// GET /api/webhooks
func (s *WebhooksService) List(ctx context.Context, opts ...CallOption) (*WebhookList, error) {
	out, _, err := s.list(ctx, opts)
	return out, err
}

func (s *WebhooksService) list(ctx context.Context, opts []CallOption) (*WebhookList, *pipeline.Response, error) {
	cl, err := s.c.prepare(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		BetaNotice string        `json:"betaNotice"`
		Webhooks   []webhookWire `json:"webhooks"`
	}
	res, err := s.c.do(ctx, cl, &pipeline.Request{Method: "GET", Path: "webhooks"}, &out)
	if err != nil {
		return nil, res, err
	}
	l := &WebhookList{BetaNotice: out.BetaNotice}
	if out.Webhooks != nil {
		l.Webhooks = make([]Webhook, len(out.Webhooks))
		for i := range out.Webhooks {
			l.Webhooks[i] = out.Webhooks[i].webhook()
		}
	}
	return l, res, nil
}

// createdWebhookWire is the answer to POST /api/webhooks, with the webhook
// at the top or under "webhook", and the secret beside it or inside.
type createdWebhookWire struct {
	webhookWire
	Secret  string `json:"secret"`
	Webhook *struct {
		webhookWire
		Secret string `json:"secret"`
	} `json:"webhook"`
}

// Create subscribes url to events and returns the webhook with its secret,
// which the API shows only this once. It is not retried once it may have
// reached the server. When the answer is lost (the connection ends after
// sending, a 5xx, an answer that cannot be read or holds no secret) the
// error matches ErrOutcomeUnknown and holds a *LostWebhookError: Resolve
// looks the webhook up; with ResolveOutcome, Create does so by itself.
// A webhook found that way comes without its secret, which only the lost
// answer held.
//
// POST /api/webhooks
func (s *WebhooksService) Create(ctx context.Context, p WebhookParams, opts ...CallOption) (*CreatedWebhook, error) {
	if err := validateWebhookURL(p.URL); err != nil {
		return nil, err
	}
	if !p.Events.Any() {
		return nil, pipeline.Invalid(api, "a webhook needs at least one event")
	}
	cl, err := s.c.prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	// The answer holds the secret: it is read here rather than by the
	// pipeline, whose error for an unreadable answer quotes the body.
	var raw []byte
	sent := time.Now()
	res, err := s.c.do(ctx, cl, &pipeline.Request{Method: "POST", Path: "webhooks", Body: p}, &raw)
	var out *CreatedWebhook
	if err == nil {
		var w createdWebhookWire
		if wire.Decode(raw, &w) != nil || len(bytes.TrimSpace(raw)) == 0 {
			err = s.unreadable("POST", "webhooks", res)
		} else {
			out = &CreatedWebhook{Webhook: w.webhook(), Secret: Secret(w.Secret)}
			if w.Webhook != nil {
				// {"webhook": {...}, "secret": "..."}
				out.Webhook = w.Webhook.webhook()
				if out.Secret == "" {
					out.Secret = Secret(w.Webhook.Secret)
				}
			}
			if out.Secret == "" {
				// The API shows the secret only in this answer: one
				// without it (null, {}, a proxy's stub) must not pass for
				// a created webhook.
				err = s.unreadable("POST", "webhooks", res)
			}
		}
	}
	if err != nil {
		if !errors.Is(err, ErrOutcomeUnknown) {
			return nil, err
		}
		lost := &LostWebhookError{Params: p, LostCall: s.c.lostCall(cl.sandbox, sent, err), Err: err}
		if !cl.cs.Resolve {
			return nil, lost
		}
		r, rerr := s.resolve(ctx, lost, opts)
		if rerr != nil {
			return nil, errors.Join(lost, rerr)
		}
		if r.State == Created {
			s.c.claimed.claim(webhookKey(r.Order))
			return &CreatedWebhook{Webhook: *r.Order}, nil
		}
		return nil, r.Err()
	}
	if out.Webhook.ID != "" {
		s.c.claimed.claim(webhookKey(&out.Webhook))
	}
	return out, nil
}

// LostWebhookError is the error Webhooks.Create returns when its answer
// was lost and the webhook may exist. It matches ErrOutcomeUnknown; Err is
// the *Error of the call. Hand it to WebhooksService.Resolve.
type LostWebhookError struct {
	// Params is what the lost call asked for.
	Params WebhookParams
	LostCall
	// Err is the error that made the outcome unknown.
	Err error
}

// Error says that the webhook may have been created, and why.
func (e *LostWebhookError) Error() string {
	if e.Err == nil {
		return "attivita: POST webhooks: " + ErrOutcomeUnknown.Error()
	}
	return e.Err.Error()
}

// Unwrap returns the call's error, and ErrOutcomeUnknown.
func (e *LostWebhookError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrOutcomeUnknown}
	}
	return []error{e.Err, ErrOutcomeUnknown}
}

// Resolve finds out what a lost Webhooks.Create did. err is the error
// Create returned (a *LostWebhookError, or the *OutcomeError of an earlier
// resolution). It lists the webhooks once and looks for one with the same
// url and events, created in the window of the lost call on the server's
// clock (a webhook the API lists without createdAt cannot be ruled out):
// one is Created (without its secret, which only the lost answer held;
// Order holds the webhook), none is NotCreated as of AsOf, several are
// Ambiguous with the Candidates. The API does not document createdAt: a
// single match listed without it may be an older identical subscription,
// so it is Ambiguous too.
//
// GET /api/webhooks
func (s *WebhooksService) Resolve(ctx context.Context, err error, opts ...CallOption) (Resolution[*Webhook], error) {
	lost, ok := lostFrom[*LostWebhookError](err)
	if !ok || lost == nil {
		return Resolution[*Webhook]{Cause: err}, pipeline.Invalid(api, "Resolve: the error holds no lost Webhooks.Create")
	}
	if lost.SentAt.IsZero() {
		return Resolution[*Webhook]{Cause: err}, pipeline.Invalid(api, "Resolve: the lost Webhooks.Create has no SentAt")
	}
	return s.resolve(ctx, lost, opts)
}

func (s *WebhooksService) resolve(ctx context.Context, lost *LostWebhookError, opts []CallOption) (Resolution[*Webhook], error) {
	r := Resolution[*Webhook]{Cause: lost}
	if _, err := pipeline.Calls(api, opts); err != nil {
		return r, err
	}
	l, res, err := s.list(ctx, lookupOptions(lost.LostCall, opts))
	answered := time.Now()
	r.Lookups = attempts(res, err)
	if err != nil {
		return r, fmt.Errorf("attivita: resolving the lost webhook: %w", err)
	}
	w, asOf := lost.lookupTimes(res, answered)
	want := strings.TrimSpace(lost.Params.URL)
	var matches []*Webhook
	for i := range l.Webhooks {
		h := &l.Webhooks[i]
		if h.URL == want && h.Events == lost.Params.Events && w.holds(h.CreatedAt) && !s.c.claimed.taken(webhookKey(h)) {
			matches = append(matches, h)
		}
	}
	decide(&r, lost.LostCall, matches, func(h *Webhook) bool { return h.CreatedAt.IsZero() }, asOf, answered)
	return r, nil
}

// unreadable is the error for a 2xx answer to a POST that could not be
// read: the webhook may exist. It quotes nothing of the body.
func (s *WebhooksService) unreadable(method, path string, res *pipeline.Response) error {
	return s.c.pc.InvalidAnswer(method, path, res,
		fmt.Errorf("%w: the answer is not the expected JSON", ErrOutcomeUnknown))
}

// webhookMaybeRoot is a webhook sent bare or as {"webhook": {...}}.
type webhookMaybeRoot struct {
	Webhook *webhookWire `json:"webhook"`
	webhookWire
}

// Update changes a webhook's URL, events or switch. Sending the same
// update twice does no harm, so it is retried like a GET.
//
// PATCH /api/webhooks/:id
func (s *WebhooksService) Update(ctx context.Context, id string, u WebhookUpdate, opts ...CallOption) (*Webhook, error) {
	if strings.TrimSpace(id) == "" {
		return nil, pipeline.Invalid(api, "empty webhook id")
	}
	if u.URL == nil && u.Events == nil && u.Active == nil {
		return nil, pipeline.Invalid(api, "webhook update changes nothing")
	}
	if u.URL != nil {
		if err := validateWebhookURL(*u.URL); err != nil {
			return nil, err
		}
	}
	cl, err := s.c.prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	path := pipeline.Path("webhooks", id)
	var out webhookMaybeRoot
	if _, err := s.c.do(ctx, cl, &pipeline.Request{Method: "PATCH", Path: path, Body: u, Idempotent: true}, &out); err != nil {
		return nil, err
	}
	w := &out.webhookWire
	if out.Webhook != nil {
		w = out.Webhook
	}
	h := w.webhook()
	return &h, nil
}
