package attivita_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/money"
)

func TestNewClient(t *testing.T) {
	_, err := attivita.NewClient("  ")
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)

	c, err := attivita.NewClient(testToken)
	require.NoError(t, err)
	assert.Equal(t, "https://api.attivita.de/api/", c.BaseURL())
	assert.Equal(t, "https://api.attivita.de/api", attivita.DefaultBaseURL)
	// WithBaseURL takes the API root as it is: nothing is appended, a bare
	// host included.
	for _, root := range []string{"https://api.attivita.de", "https://api.attivita.de/", "https://proxy.example/attivita", "https://api.attivita.de/api", "https://api.attivita.de/api/"} {
		c, err := attivita.NewClient(testToken, orderkit.WithBaseURL(root))
		require.NoError(t, err)
		assert.Equal(t, strings.TrimSuffix(root, "/")+"/", c.BaseURL(), "a root with a path is taken as it is")
	}
	_, err = attivita.NewClient(testToken, orderkit.WithBaseURL(""))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "WithBaseURL")
	assert.False(t, c.Sandbox())

	for _, bad := range []string{"https://user:s3cret@api.attivita.de/%zz", "https://user:s3cret@api attivita.de", "://user:s3cret@x"} {
		_, err = attivita.NewClient(testToken, orderkit.WithBaseURL(bad))
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, bad)
		assert.Contains(t, err.Error(), "base URL", "the pipeline's refusal, as for every client")
		assert.Contains(t, err.Error(), "[REDACTED]")
		assert.NotContains(t, err.Error(), "s3cret")
	}

	_, err = attivita.NewClient(testToken, orderkit.WithBaseURL("http://api.attivita.de"))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "token over plain http must be refused")
	assert.NotContains(t, err.Error(), testToken)

	c, err = attivita.NewClient(testToken, attivita.WithSandbox())
	require.NoError(t, err)
	assert.True(t, c.Sandbox())

	// The sandbox header is the client's to write: WithHeader refuses it,
	// as NewClient refuses a call option.
	_, err = attivita.NewClient(testToken, orderkit.WithHeader("x-sandbox-mode", "true"))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "attivita.WithSandbox")
}

func TestProductsListFixture(t *testing.T) {
	c, mock := newMocked(t)
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/products", jsonResponder(200, fixture(t, "products.json"), &got))

	products, err := c.Products.List(ctx, nil)
	require.NoError(t, err)
	requireAuthHeaders(t, got)
	assert.Empty(t, got.URL.RawQuery)
	assert.Empty(t, got.Header.Get("X-Sandbox-Mode"))
	require.Len(t, products, 1)

	p := products[0]
	assert.Equal(t, attivita.ID("507f1f77bcf86cd799439011"), p.ID)
	assert.Equal(t, "microsoft-office-2021-home-business", p.Name)
	assert.Equal(t, "Microsoft Office 2021 Home & Business", p.DisplayName)
	assert.Equal(t, "Microsoft Office 2021 Home & Business", p.String())
	assert.True(t, p.Price.Equal(money.MustParse("149.99")), p.Price.String())
	assert.Equal(t, "149.99", p.Price.String())
	assert.Equal(t, "https://example.com/office-2021.jpg", p.ProductImageURL)
	assert.Equal(t, "Microsoft", p.Manufacturer.Name)
	assert.Equal(t, "ESD", p.CategoryName)
	assert.False(t, p.IsMultidevice)
	assert.False(t, p.IsSubscription)
	assert.False(t, p.IsTerm)
	assert.False(t, p.IsMobileOnly)
	require.NotNil(t, p.OldPrice)
	assert.Equal(t, "249.99", p.OldPrice.String())
	assert.Equal(t, "Lifetime", p.Duration)
	assert.Equal(t, 1, p.Seats)
	assert.Equal(t, "Microsoft Office 2021 für PC und Mac", p.Description.In("de"))
	assert.Equal(t, "Microsoft Office 2021 for PC and Mac", p.Description.In("EN"))
	assert.Equal(t, "Microsoft Office 2021 for PC and Mac", p.Description.In("FR"), "falls back to English")
	assert.Equal(t, []string{"DE", "EN"}, p.Description.Languages())
	assert.Equal(t, attivita.Stock(100), p.AvailableStock)
	assert.True(t, p.AvailableStock.Capped())
	assert.Equal(t, "100+", p.AvailableStock.String())
	assert.Equal(t, attivita.RegionDACH, p.ValidRegion)
	assert.Equal(t, "Valid for Germany, Austria and Switzerland", p.ValidRegionInfo)
	// Not in the page's example: the defaults.
	assert.False(t, p.IsBundle)
	assert.Nil(t, p.LicensePools)
}

func TestProductsListRegion(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponderWithQuery("GET", base+"/api/products", "region=GLOBAL", jsonResponder(200, `[]`, nil))
	products, err := c.Products.List(ctx, &attivita.ListProductsOptions{Region: attivita.RegionGlobal})
	require.NoError(t, err)
	assert.Empty(t, products)
	assert.Equal(t, 1, mock.GetTotalCallCount())

	_, err = c.Products.List(ctx, &attivita.ListProductsOptions{Region: "ASIA"})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "an invalid region is not sent")

	// The API's answer to a bad region, should one get through.
	mock.RegisterResponderWithQuery("GET", base+"/api/products", "region=EU",
		jsonResponder(400, `{"error":"Invalid region","code":"VALIDATION_ERROR","details":{"region":"Region must be one of DACH, EU, GLOBAL"}}`, nil))
	_, err = c.Products.List(ctx, &attivita.ListProductsOptions{Region: attivita.RegionEU})
	var ve *orderkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"Region must be one of DACH, EU, GLOBAL"}, ve.Fields["region"])
}

func TestProductsBundleAndOptionalFields(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("GET", base+"/api/products/60d5ec49f1b2c72d9c8b4567", jsonResponder(200, `{
		"_id": "60d5ec49f1b2c72d9c8b4567", "name": "bundle", "displayName": "Office + Antivirus Bundle",
		"price": "129.99", "manufacturer": {"name": "Attivita"}, "categoryName": "Bundle",
		"isBundle": true, "licensePools": ["507f1f77bcf86cd799439011", "507f191e810c19729de860ea"],
		"duration": "Lifetime", "seats": "1", "availableStock": 3, "validRegion": null, "extra": {"x": 1}}`, nil))
	p, err := c.Products.Get(ctx, "60d5ec49f1b2c72d9c8b4567")
	require.NoError(t, err)
	assert.True(t, p.IsBundle)
	assert.Equal(t, []attivita.ID{"507f1f77bcf86cd799439011", "507f191e810c19729de860ea"}, p.LicensePools)
	assert.Equal(t, "129.99", p.Price.String())
	assert.Nil(t, p.OldPrice)
	assert.Equal(t, 1, p.Seats)
	assert.Equal(t, attivita.RegionNone, p.ValidRegion)
	assert.Equal(t, "none", p.ValidRegion.String())
	assert.Empty(t, p.ValidRegionInfo)
	assert.Nil(t, p.Description)
	assert.Equal(t, "", p.Description.In("EN"))
	assert.False(t, p.AvailableStock.Capped())
	assert.True(t, p.AvailableStock.AtLeast(3))
	assert.False(t, p.AvailableStock.AtLeast(4))
	assert.Equal(t, "3", p.AvailableStock.String())
}

func TestProductsPriceIsStrict(t *testing.T) {
	for name, body := range map[string]string{
		"null":       `{"_id":"a","price":null}`,
		"missing":    `{"_id":"a"}`,
		"text":       `{"_id":"a","price":"free"}`,
		"bool":       `{"_id":"a","price":true}`,
		"bad old":    `{"_id":"a","price":1,"oldPrice":"x"}`,
		"bad stock":  `{"_id":"a","price":1,"availableStock":"lots"}`,
		"bad region": `{"_id":"a","price":1,"validRegion":5}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMocked(t)
			mock.RegisterResponder("GET", base+"/api/products/a", jsonResponder(200, body, nil))
			p, err := c.Products.Get(ctx, "a")
			require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			assert.Nil(t, p)
			assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "a GET changes nothing")
		})
	}
}

func TestProductsGet(t *testing.T) {
	c, mock := newMocked(t)
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/products/507f1f77bcf86cd799439011", jsonResponder(200, fixture(t, "products.json")[1:len(fixture(t, "products.json"))-2], &got))
	p, err := c.Products.Get(ctx, "507f1f77bcf86cd799439011")
	require.NoError(t, err)
	requireAuthHeaders(t, got)
	assert.Equal(t, "Microsoft Office 2021 Home & Business", p.DisplayName)

	// Ids are escaped as one path segment.
	mock.RegisterResponder("GET", base+"/api/products/a%2F..%2Fb", jsonResponder(200, `{"_id":"a/../b","price":1}`, &got))
	p, err = c.Products.Get(ctx, "a/../b")
	require.NoError(t, err)
	assert.Equal(t, attivita.ID("a/../b"), p.ID)
	assert.Equal(t, "/api/products/a%2F..%2Fb", got.URL.EscapedPath())

	_, err = c.Products.Get(ctx, "")
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestProductsErrors(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		is      []error
		message string
	}{
		{"not found", 404, `{"error":"Product not found"}`, []error{orderkit.ErrNotFound}, "Product not found"},
		{"no token", 401, `{"error":"Authentication required"}`, []error{orderkit.ErrUnauthorized}, "Authentication required"},
		{"bad token", 401, `{"error":"Invalid authentication token"}`, []error{orderkit.ErrUnauthorized}, "Invalid authentication token"},
		{"not active", 403, `{"error":"Account is not active. Please contact support."}`, []error{orderkit.ErrForbidden, attivita.ErrAccountNotActive}, "Account is not active. Please contact support."},
		{"suspended", 403, `{"error":"Account suspended","code":"ACCOUNT_SUSPENDED"}`, []error{orderkit.ErrForbidden, attivita.ErrAccountSuspended}, "Account suspended"},
		{"rate limited", 429, `{"error":"Too many requests"}`, []error{orderkit.ErrRateLimited}, "Too many requests"},
		{"server", 500, `{"error":"Internal server error"}`, []error{orderkit.ErrServer}, "Internal server error"},
		{"html", 502, `<html><body><h1>502 Bad Gateway</h1></body></html>`, []error{orderkit.ErrServer}, ""},
		{"empty", 404, ``, []error{orderkit.ErrNotFound}, ""},
		{"json array", 400, `[1,2]`, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mock := newMocked(t)
			mock.RegisterResponder("GET", base+"/api/products/x", jsonResponder(tc.status, tc.body, nil))
			_, err := c.Products.Get(ctx, "x")
			require.Error(t, err)
			for _, target := range tc.is {
				assert.ErrorIs(t, err, target)
			}
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, tc.message, e.Message)
			assert.Equal(t, "GET", e.Method)
			assert.Equal(t, base+"/api/products/x", e.URL)
			assert.NotContains(t, err.Error(), testToken)
			if tc.name == "not active" {
				// The 403 carries no code: the client names it.
				var ae *orderkit.APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, attivita.CodeAccountNotActive, attivita.Code(ae.Code))
				assert.Equal(t, 403, ae.StatusCode)
				assert.Equal(t, attivita.ErrAccountNotActive, ae.Kind)
			}
			if tc.status == 403 {
				assert.NotErrorIs(t, err, attivita.ErrCreditLimitExceeded)
			}
		})
	}
}

func TestProductsRetryThenSuccess(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("GET", base+"/api/products", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(503, `{"error":"busy"}`),
		httpmock.NewStringResponse(200, `[]`),
	}))
	_, err := c.Products.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

func TestProductsAllStops(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("GET", base+"/api/products", jsonResponder(200, `[{"_id":"a","price":1},{"_id":"b","price":2},{"_id":"c","price":3}]`, nil))
	var ids []attivita.ID
	for p, err := range c.Products.All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, p.ID)
		if p.ID == "b" {
			break
		}
	}
	assert.Equal(t, []attivita.ID{"a", "b"}, ids)

	mock.RegisterResponder("GET", base+"/api/products", jsonResponder(401, `{"error":"Invalid authentication token"}`, nil))
	n := 0
	for _, err := range c.Products.All(ctx, nil) {
		n++
		require.ErrorIs(t, err, orderkit.ErrUnauthorized)
	}
	assert.Equal(t, 1, n)
}

func TestRegionAndStock(t *testing.T) {
	assert.True(t, attivita.RegionEU.Known())
	assert.False(t, attivita.Region("MARS").Known())
	assert.Equal(t, "GLOBAL", attivita.RegionGlobal.String())
	assert.True(t, attivita.Stock(1).InStock())
	assert.False(t, attivita.Stock(0).InStock())
	assert.Equal(t, "0", attivita.Stock(0).String())
	assert.True(t, errors.Is(orderkit.ErrNotFound, orderkit.ErrNotFound))
}

func TestOversizedAnswer(t *testing.T) {
	c, mock := newMocked(t, orderkit.WithMaxResponseBytes(64))
	mock.RegisterResponder("GET", base+"/api/products", jsonResponder(200, `[`+strings.Repeat(`{"_id":"a","price":1},`, 20)+`{"_id":"a","price":1}]`, nil))
	_, err := c.Products.List(ctx, nil)
	require.ErrorIs(t, err, orderkit.ErrResponseTooLarge)
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
}

func TestProductDecodingEveryShape(t *testing.T) {
	// Whatever a server or proxy sends, decoding returns an error or a
	// product, never a panic.
	for _, body := range []string{`null`, `{}`, `[]`, `"x"`, `{"price":{}}`, `{"price":1,"description":["a"]}`,
		`{"price":1,"manufacturer":"Microsoft"}`, `{"price":1,"licensePools":null,"isBundle":null}`, `{"price":1e400}`, `{"price":"1e-999999999"}`} {
		var p attivita.Product
		_ = json.Unmarshal([]byte(body), &p)
	}
	var p attivita.Product
	require.NoError(t, json.Unmarshal([]byte(`{"price":"0E-10","licensePools":null,"isBundle":null,"availableStock":"7"}`), &p))
	assert.True(t, p.Price.IsZero())
	assert.Equal(t, attivita.Stock(7), p.AvailableStock)
}
