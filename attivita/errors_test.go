package attivita_test

import (
	"errors"
	"net"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

// A 401 or 403 is about the credentials or the account, whatever the body
// says: it matches ErrUnauthorized or ErrForbidden (and Attivita's account
// sentinel where the body names one), never ErrValidation, and a create
// answered so is not lost: nothing was bought.
func TestErrorsAuthNeverValidation(t *testing.T) {
	validation := `{"error":"Validation failed","code":"VALIDATION_ERROR","details":{"products[0].amount":"Amount must be a positive number"}}`
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   []error
	}{
		{"401 no token", 401, `{"error":"Authentication required"}`, []error{orderkit.ErrUnauthorized}},
		{"401 bad token", 401, `{"error":"Invalid authentication token"}`, []error{orderkit.ErrUnauthorized}},
		{"401 with a validation body", 401, validation, []error{orderkit.ErrUnauthorized}},
		{"401 empty", 401, ``, []error{orderkit.ErrUnauthorized}},
		{"403 not active", 403, `{"error":"Account is not active. Please contact support."}`, []error{orderkit.ErrForbidden, attivita.ErrAccountNotActive}},
		{"403 suspended", 403, `{"error":"Account suspended","code":"ACCOUNT_SUSPENDED"}`, []error{orderkit.ErrForbidden, attivita.ErrAccountSuspended}},
		{"403 with a validation body", 403, validation, []error{orderkit.ErrForbidden}},
		{"403 html", 403, `<html>Forbidden</html>`, []error{orderkit.ErrForbidden}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mock := newMocked(t)
			mock.RegisterResponder("GET", base+"/api/products", httpmock.NewStringResponder(tc.status, tc.body))
			mock.RegisterResponder("POST", base+"/api/orders", httpmock.NewStringResponder(tc.status, tc.body))
			_, getErr := c.Products.List(ctx, nil)
			_, postErr := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
			for _, err := range []error{getErr, postErr} {
				require.Error(t, err)
				for _, w := range tc.want {
					assert.ErrorIs(t, err, w)
				}
				assert.NotErrorIs(t, err, orderkit.ErrValidation)
				var ve *orderkit.ValidationError
				assert.False(t, errors.As(err, &ve), "no *ValidationError detail")
				assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
				var e *orderkit.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.status, e.StatusCode)
			}
			assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+base+"/api/orders"], "never sent twice")
		})
	}
}

// A request that never reached the server (the connection was refused)
// matches ErrUnreachable; a create that never left is no lost create.
func TestErrorsUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	c, err := attivita.NewClient(testToken, orderkit.WithBaseURL("http://"+addr+"/api"), orderkit.WithRetry(1, 0, 0))
	require.NoError(t, err)

	_, err = c.Products.List(ctx, nil)
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
	assert.NotContains(t, err.Error(), testToken)

	_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "nothing was sent: the outcome is known")
	var lost *orderkit.LostCreateError
	assert.False(t, errors.As(err, &lost))

	_, err = c.Do(ctx, "GET", "orders", nil, nil)
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
}
