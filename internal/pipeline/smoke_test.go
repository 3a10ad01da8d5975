package pipeline

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func TestSmokeGet(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", "https://api.example.test/v1/things/1", httpmock.NewStringResponder(200, `{"id":1}`))
	c, err := New(Config{API: "test", BaseURL: "https://api.example.test/v1", Auth: Bearer("tok"), HTTPClient: &http.Client{Transport: mock}})
	require.NoError(t, err)
	var out struct{ ID int }
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: Path("things", "1")}, &out)
	require.NoError(t, err)
	require.Equal(t, 1, out.ID)
}
