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

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
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
	ID        ID
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
	h := Webhook{ID: ID(w.ID), URL: w.URL, Events: w.Events, Active: true,
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time}
	if h.ID == "" {
		h.ID = ID(w.AltID)
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
	if err := json.Unmarshal(b, &w); err != nil {
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

// WebhookParams is a new webhook: POST /api/webhooks.
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
func (s *WebhooksService) List(ctx context.Context, opts ...orderkit.CallOption) (*WebhookList, error) {
	cs, sandbox, err := s.c.calls(ctx, "Webhooks.List", opts)
	if err != nil {
		return nil, err
	}
	out, _, err := s.list(ctx, cs, sandbox)
	return out, err
}

func (s *WebhooksService) list(ctx context.Context, cs config.CallSettings, sandbox bool) (*WebhookList, *pipeline.Response, error) {
	var out struct {
		BetaNotice string        `json:"betaNotice"`
		Webhooks   []webhookWire `json:"webhooks"`
	}
	res, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{Method: "GET", Path: "webhooks"}, &out)
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

// Create subscribes p.URL to p.Events and returns the webhook with its
// secret, which the API shows only this once. It is never sent twice. A
// lost answer (the connection ends after sending, a 5xx, an answer that
// cannot be read or holds no secret) is a *orderkit.LostCreateError:
// Resolve looks the webhook up; with orderkit.ResolveOutcome, Create does
// so by itself. A webhook found that way comes without its secret, which
// only the lost answer held. Create refuses orderkit.Reference.
//
// POST /api/webhooks
func (s *WebhooksService) Create(ctx context.Context, p *WebhookParams, opts ...orderkit.CallOption) (*CreatedWebhook, error) {
	if p == nil {
		return nil, pipeline.Invalid(api, "invalid argument: Webhooks.Create: nil *WebhookParams")
	}
	if err := validateWebhookURL(p.URL); err != nil {
		return nil, err
	}
	if !p.Events.Any() {
		return nil, pipeline.Invalid(api, "a webhook needs at least one event")
	}
	cs, sandbox, err := s.c.calls(ctx, "Webhooks.Create", opts, "ResolveOutcome")
	if err != nil {
		return nil, err
	}
	sentParams := *p
	// The answer holds the secret: it is read here rather than by the
	// pipeline, whose error for an unreadable answer quotes the body.
	var raw []byte
	sent := s.c.clockNow()
	res, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{Method: "POST", Path: "webhooks", Body: sentParams}, &raw)
	var out *CreatedWebhook
	if err == nil {
		var w createdWebhookWire
		if json.Unmarshal(raw, &w) != nil || len(bytes.TrimSpace(raw)) == 0 {
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
		if !errors.Is(err, orderkit.ErrOutcomeUnknown) {
			return nil, err
		}
		ev := &evidence{hook: sentParams}
		lost := s.c.lostCreate(p, ev, sandbox, sent, err)
		if !cs.Resolve {
			return nil, lost
		}
		r, rerr := s.resolve(ctx, lost, lostCall{sentAt: lost.SentAt, endedAt: lost.EndedAt, serverDate: lost.ServerDate, evidence: *ev}, cs)
		if rerr != nil {
			return nil, errors.Join(lost, rerr)
		}
		if r.State == orderkit.Created {
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

// Resolve finds out what a lost Webhooks.Create did, from the
// *orderkit.LostCreateError it returned (or the *orderkit.OutcomeError of
// an earlier resolution). It lists the webhooks once and looks for one
// with the same url and events, by the rule of Orders.Resolve (see the
// package doc, Lost answers): one created in the window of the lost call
// is Created (Order holds the webhook, without its secret); none, in a
// lookup SettleTime after the lost call, is NotCreated as of AsOf; all
// else is Ambiguous. The API does not document createdAt: a single match
// listed without it may be an older identical subscription, so it is
// Ambiguous too. It never sends a create.
//
// GET /api/webhooks
func (s *WebhooksService) Resolve(ctx context.Context, err error, opts ...orderkit.CallOption) (orderkit.Resolution[*Webhook], error) {
	r := orderkit.Resolution[*Webhook]{Cause: err}
	cs, _, cerr := s.c.calls(ctx, "Webhooks.Resolve", opts)
	if cerr != nil {
		return r, cerr
	}
	lost, lc, lerr := s.c.lostFrom(err, cs, "Webhooks.Resolve")
	if lerr != nil {
		return r, lerr
	}
	p, _ := lost.Request.(*WebhookParams)
	if p == nil {
		return r, pipeline.Invalid(api, "invalid argument: Webhooks.Resolve: the error holds no lost Webhooks.Create")
	}
	if lc.hook.URL == "" {
		// No Evidence of this client's (a rebuilt error): what was asked.
		lc.hook = *p
	}
	return s.resolve(ctx, lost, lc, cs)
}

func (s *WebhooksService) resolve(ctx context.Context, lost *orderkit.LostCreateError, lc lostCall, cs config.CallSettings) (orderkit.Resolution[*Webhook], error) {
	r := orderkit.Resolution[*Webhook]{Cause: lost}
	sent := s.c.clockNow()
	l, res, err := s.list(ctx, cs, lc.sandbox)
	answered := s.c.clockNow()
	r.Lookups = attempts(res, err)
	if err != nil {
		return r, fmt.Errorf("attivita: resolving the lost webhook: %w", err)
	}
	w, asOf := lc.lookupTimes(res, answered)
	want := strings.TrimSpace(lc.hook.URL)
	var matches []match[*Webhook]
	for i := range l.Webhooks {
		h := &l.Webhooks[i]
		if h.URL != want || h.Events != lc.hook.Events || s.c.claimed.taken(webhookKey(h)) {
			continue
		}
		older, within := w.fit(h.CreatedAt, 0)
		if !older {
			matches = append(matches, match[*Webhook]{h, within})
		}
	}
	decide(&r, matches, lc.settled(sent), asOf)
	return r, nil
}

// unreadable is the error for a 2xx answer to a POST that could not be
// read: the webhook may exist. It quotes nothing of the body.
func (s *WebhooksService) unreadable(method, path string, res *pipeline.Response) error {
	return s.c.pc.InvalidAnswer(method, path, res,
		fmt.Errorf("%w: the answer is not the expected JSON", orderkit.ErrOutcomeUnknown))
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
func (s *WebhooksService) Update(ctx context.Context, id ID, u *WebhookUpdate, opts ...orderkit.CallOption) (*Webhook, error) {
	if strings.TrimSpace(string(id)) == "" {
		return nil, pipeline.Invalid(api, "empty webhook id")
	}
	if u == nil {
		return nil, pipeline.Invalid(api, "invalid argument: Webhooks.Update: nil *WebhookUpdate")
	}
	if u.URL == nil && u.Events == nil && u.Active == nil {
		return nil, pipeline.Invalid(api, "webhook update changes nothing")
	}
	if u.URL != nil {
		if err := validateWebhookURL(*u.URL); err != nil {
			return nil, err
		}
	}
	cs, sandbox, err := s.c.calls(ctx, "Webhooks.Update", opts)
	if err != nil {
		return nil, err
	}
	path := pipeline.Path("webhooks", string(id))
	var out webhookMaybeRoot
	if _, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{Method: "PATCH", Path: path, Body: u, Idempotent: true}, &out); err != nil {
		return nil, err
	}
	w := &out.webhookWire
	if out.Webhook != nil {
		w = out.Webhook
	}
	h := w.webhook()
	return &h, nil
}
