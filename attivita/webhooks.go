package attivita

import (
	"bytes"
	"context"
	"encoding/json"
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

func (w webhookWire) webhook() Webhook {
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
func (s *WebhooksService) List(ctx context.Context) (*WebhookList, error) {
	var out struct {
		BetaNotice string    `json:"betaNotice"`
		Webhooks   []Webhook `json:"webhooks"`
	}
	if _, err := s.c.do(ctx, &pipeline.Request{Method: "GET", Path: "api/webhooks"}, &out); err != nil {
		return nil, err
	}
	return &WebhookList{BetaNotice: out.BetaNotice, Webhooks: out.Webhooks}, nil
}

// Create subscribes url to events and returns the webhook with its secret,
// which the API shows only this once. It is not retried once it may have
// reached the server (ErrOutcomeUnknown: list the webhooks before creating
// another). An answer without a secret is ErrInvalidResponse and
// ErrOutcomeUnknown too.
//
// POST /api/webhooks
func (s *WebhooksService) Create(ctx context.Context, p WebhookParams) (*CreatedWebhook, error) {
	if err := validateWebhookURL(p.URL); err != nil {
		return nil, err
	}
	if !p.Events.Any() {
		return nil, pipeline.Invalid(api, "a webhook needs at least one event")
	}
	// The answer holds the secret: it is read here rather than by the
	// pipeline, whose error for an unreadable answer quotes the body.
	var raw []byte
	res, err := s.c.do(ctx, &pipeline.Request{Method: "POST", Path: "api/webhooks", Body: p}, &raw)
	if err != nil {
		return nil, err
	}
	var w struct {
		webhookWire
		Secret  string          `json:"secret"`
		Webhook json.RawMessage `json:"webhook"`
	}
	if err := json.Unmarshal(raw, &w); err != nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil, s.unreadable("POST", "api/webhooks", res)
	}
	out := &CreatedWebhook{Webhook: w.webhook(), Secret: Secret(w.Secret)}
	if len(w.Webhook) > 0 && string(w.Webhook) != "null" {
		// {"webhook": {...}, "secret": "..."}
		var inner struct {
			webhookWire
			Secret string `json:"secret"`
		}
		if json.Unmarshal(w.Webhook, &inner) != nil {
			return nil, s.unreadable("POST", "api/webhooks", res)
		}
		out.Webhook = inner.webhook()
		if out.Secret == "" {
			out.Secret = Secret(inner.Secret)
		}
	}
	if out.Secret == "" {
		// The API shows the secret only in this answer: one without it
		// (null, {}, a proxy's stub) must not pass for a created webhook.
		return nil, s.unreadable("POST", "api/webhooks", res)
	}
	return out, nil
}

// unreadable is the error for a 2xx answer to a POST that could not be
// read: the webhook may exist. It quotes nothing of the body.
func (s *WebhooksService) unreadable(method, path string, res *pipeline.Response) error {
	return s.c.pc.InvalidAnswer(method, path, res,
		fmt.Errorf("%w: the answer is not the expected JSON", ErrOutcomeUnknown))
}

// Update changes a webhook's URL, events or switch. Sending the same
// update twice does no harm, so it is retried like a GET.
//
// PATCH /api/webhooks/:id
func (s *WebhooksService) Update(ctx context.Context, id string, u WebhookUpdate) (*Webhook, error) {
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
	var raw json.RawMessage
	if _, err := s.c.do(ctx, &pipeline.Request{Method: "PATCH", Path: pipeline.Path("api", "webhooks", id), Body: u, Idempotent: true}, &raw); err != nil {
		return nil, err
	}
	var wrapped struct {
		Webhook json.RawMessage `json:"webhook"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && len(wrapped.Webhook) > 0 && string(wrapped.Webhook) != "null" {
		raw = wrapped.Webhook
	}
	var h Webhook
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, s.c.pc.InvalidAnswer("PATCH", pipeline.Path("api", "webhooks", id), nil, err)
	}
	return &h, nil
}
