package attivita_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

const testSecret = "whsec_4f9d2c1b8a7e6d5c4b3a2918"

func TestWebhooksList(t *testing.T) {
	c, mock := newMocked(t)
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/webhooks", jsonResponder(200, `{"betaNotice":"Webhooks are in beta.","webhooks":[
		{"_id":"w1","url":"https://shop.example/hook","events":{"productOutOfStock":true,"productBackInStock":false,"productPriceChanged":true},"isActive":false,"createdAt":"2024-01-02T03:04:05Z"},
		{"id":"w2","url":"https://shop.example/other","events":{"productBackInStock":true}}]}`, &got))
	l, err := c.Webhooks.List(ctx)
	require.NoError(t, err)
	requireAuthHeaders(t, got)
	assert.Equal(t, "Webhooks are in beta.", l.BetaNotice)
	require.Len(t, l.Webhooks, 2)
	assert.Equal(t, attivita.Webhook{ID: "w1", URL: "https://shop.example/hook",
		Events:    attivita.WebhookEvents{ProductOutOfStock: true, ProductPriceChanged: true},
		Active:    false,
		CreatedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, l.Webhooks[0])
	assert.Equal(t, attivita.ID("w2"), l.Webhooks[1].ID)
	assert.True(t, l.Webhooks[1].Active, "active when the API does not say")
	assert.True(t, l.Webhooks[1].Events.ProductBackInStock)
}

func TestWebhooksCreate(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mock := newMocked(t, orderkit.WithLogger(logger))
	var sent []byte
	var got *http.Request
	mock.RegisterResponder("POST", base+"/api/webhooks", func(r *http.Request) (*http.Response, error) {
		got = r
		sent, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(201, `{"_id":"w9","url":"https://shop.example/hook","events":{"productOutOfStock":true,"productBackInStock":false,"productPriceChanged":false},"secret":"`+testSecret+`"}`), nil
	})
	h, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://shop.example/hook", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
	require.NoError(t, err)
	requireAuthHeaders(t, got)
	assert.JSONEq(t, `{"url":"https://shop.example/hook","events":{"productOutOfStock":true,"productBackInStock":false,"productPriceChanged":false}}`, string(sent))
	assert.Equal(t, attivita.ID("w9"), h.Webhook.ID)
	assert.True(t, h.Webhook.Events.ProductOutOfStock)
	assert.Equal(t, testSecret, h.Secret.Reveal())

	// The secret stays out of every way it could be printed or logged.
	logger.Info("created", "webhook", h, "secret", h.Secret)
	for _, s := range []string{
		fmt.Sprint(h.Secret), fmt.Sprintf("%v %+v %#v %s %q %x %X %10s", h, h, h, h.Secret, h.Secret, h.Secret, h.Secret, h.Secret),
		fmt.Sprintf("%+v %#v", *h, *h), h.Secret.String(), logs.String(),
	} {
		assert.NotContains(t, s, testSecret)
		assert.NotContains(t, s, testSecret[6:])
	}
	assert.Contains(t, fmt.Sprint(h.Secret), "[REDACTED]")
	b, err := json.Marshal(h)
	require.NoError(t, err)
	assert.NotContains(t, string(b), testSecret)
	assert.NotContains(t, logs.String(), testToken)
	assert.Contains(t, logs.String(), "/api/webhooks", "the logger did log the request")
}

func TestWebhooksCreateWrapped(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("POST", base+"/api/webhooks", jsonResponder(201, `{"message":"Webhook created","webhook":{"_id":"w3","url":"https://a.example/h","events":{"productPriceChanged":true}},"secret":"`+testSecret+`"}`, nil))
	h, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://a.example/h", Events: attivita.WebhookEvents{ProductPriceChanged: true}})
	require.NoError(t, err)
	assert.Equal(t, attivita.ID("w3"), h.Webhook.ID)
	assert.Equal(t, testSecret, h.Secret.Reveal())
}

func TestWebhooksCreateFailures(t *testing.T) {
	c, mock := newMocked(t)
	_, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "ftp://x", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "http://shop.example/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://shop.example/h"})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "no event")
	assert.Equal(t, 0, mock.GetTotalCallCount())

	// An unreadable answer that holds the secret: the error must not quote it.
	mock.RegisterResponder("POST", base+"/api/webhooks", jsonResponder(201, `{"_id":"w9","secret":"`+testSecret+`","events":`, nil))
	_, err = c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://shop.example/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), testSecret[6:])
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 201, e.StatusCode)
	assert.NotContains(t, e.Body, testSecret[6:])

	mock.RegisterResponder("POST", base+"/api/webhooks", httpmock.NewErrorResponder(syscall.ECONNRESET))
	n := mock.GetTotalCallCount()
	_, err = c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://shop.example/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, n+1, mock.GetTotalCallCount(), "sent once")
}

func TestWebhooksUpdate(t *testing.T) {
	c, mock := newMocked(t)
	var sent []byte
	mock.RegisterResponder("PATCH", base+"/api/webhooks/w1", func(r *http.Request) (*http.Response, error) {
		sent, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(200, `{"_id":"w1","url":"https://shop.example/new","events":{"productOutOfStock":false,"productBackInStock":true,"productPriceChanged":false},"isActive":false}`), nil
	})
	url := "https://shop.example/new"
	off := false
	h, err := c.Webhooks.Update(ctx, "w1", &attivita.WebhookUpdate{URL: &url, Events: &attivita.WebhookEvents{ProductBackInStock: true}, Active: &off})
	require.NoError(t, err)
	assert.JSONEq(t, `{"url":"https://shop.example/new","events":{"productOutOfStock":false,"productBackInStock":true,"productPriceChanged":false},"isActive":false}`, string(sent))
	assert.Equal(t, attivita.Webhook{ID: "w1", URL: url, Events: attivita.WebhookEvents{ProductBackInStock: true}}, *h)

	// Only what is set is sent.
	_, err = c.Webhooks.Update(ctx, "w1", &attivita.WebhookUpdate{Active: &off})
	require.NoError(t, err)
	assert.JSONEq(t, `{"isActive":false}`, string(sent))

	_, err = c.Webhooks.Update(ctx, "w1", &attivita.WebhookUpdate{})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Webhooks.Update(ctx, "", &attivita.WebhookUpdate{Active: &off})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)

	// Same update twice is harmless, so a 503 is retried.
	mock.RegisterResponder("PATCH", base+"/api/webhooks/w2", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(503, `{"error":"busy"}`),
		httpmock.NewStringResponse(200, `{"webhook":{"_id":"w2","url":"https://x.example"}}`),
	}))
	h, err = c.Webhooks.Update(ctx, "w2", &attivita.WebhookUpdate{Active: &off})
	require.NoError(t, err)
	assert.Equal(t, attivita.ID("w2"), h.ID)

	mock.RegisterResponder("PATCH", base+"/api/webhooks/nope", jsonResponder(404, `{"error":"Webhook not found"}`, nil))
	_, err = c.Webhooks.Update(ctx, "nope", &attivita.WebhookUpdate{Active: &off})
	require.ErrorIs(t, err, orderkit.ErrNotFound)
}

func TestWebhooksUpdateUnreadable(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("PATCH", base+"/api/webhooks/w1", jsonResponder(200, `{"_id":{"x":1}}`, nil))
	on := true
	_, err := c.Webhooks.Update(ctx, "w1", &attivita.WebhookUpdate{Active: &on})
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, base+"/api/webhooks/w1", e.URL)
}

// Plain http is accepted for loopback receivers only, in every spelling of
// loopback, and refused for anything that merely looks like one.
func TestWebhookURLLoopback(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("POST", base+"/api/webhooks", jsonResponder(201, `{"_id":"w1","url":"http://127.0.0.2/h","events":{"productOutOfStock":true},"secret":"`+testSecret+`"}`, nil))
	ev := attivita.WebhookEvents{ProductOutOfStock: true}
	for _, u := range []string{"http://127.0.0.1/h", "http://127.0.0.2:8080/h", "http://[::1]/h", "http://[::1]:9000/h", "http://localhost:8080/h"} {
		_, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: u, Events: ev})
		assert.NoError(t, err, u)
	}
	assert.Equal(t, 5, mock.GetTotalCallCount())
	for _, u := range []string{"http://127.example/h", "http://128.0.0.1/h", "http://[::2]/h", "http://localhost.example/h"} {
		_, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: u, Events: ev})
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, u)
		_, err = c.Webhooks.Update(ctx, "w1", &attivita.WebhookUpdate{URL: &u})
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, u)
	}
	assert.Equal(t, 5, mock.GetTotalCallCount(), "refused before sending")
}
