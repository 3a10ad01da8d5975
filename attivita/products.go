package attivita

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/paging"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
)

// ProductsService reads the catalogue: GET /api/products and
// GET /api/products/:id.
type ProductsService service

// ID is the id of an Attivita object other than an order: a product, a
// licence pool, a webhook. The API sends these as strings (MongoDB object
// ids such as "507f1f77bcf86cd799439011"); orders are named by their
// OrderNumber instead.
type ID string

// Region is where a product's licence is valid.
type Region string

// The documented regions. RegionNone is a product whose validRegion is null.
const (
	RegionNone   Region = ""
	RegionDACH   Region = "DACH"   // Germany, Austria, Switzerland
	RegionEU     Region = "EU"     // the European Union
	RegionGlobal Region = "GLOBAL" // worldwide
)

// String returns the API's spelling, or "none" for RegionNone.
func (r Region) String() string {
	if r == RegionNone {
		return "none"
	}
	return string(r)
}

// Known reports whether r is one of the documented regions (RegionNone
// included).
func (r Region) Known() bool {
	switch r {
	case RegionNone, RegionDACH, RegionEU, RegionGlobal:
		return true
	}
	return false
}

// UnmarshalJSON reads a string or null (RegionNone). A region the API adds
// later is kept as sent.
func (r *Region) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if wire.IsNull(b) {
		*r = RegionNone
		return nil
	}
	s, ok := wire.Unquote(b)
	if !ok {
		return fmt.Errorf("attivita: validRegion is not a string: %.40q", b)
	}
	*r = Region(strings.ToUpper(strings.TrimSpace(s)))
	return nil
}

// MarshalJSON writes the region, or null for RegionNone.
func (r Region) MarshalJSON() ([]byte, error) {
	if r == RegionNone {
		return []byte("null"), nil
	}
	return json.Marshal(string(r))
}

// StockCap is the highest stock the API reports: availableStock shows at
// most 100 even when more licences are in stock.
const StockCap = 100

// Stock is a product's availableStock. The API caps it at StockCap, so 100
// means "100 or more".
type Stock int

// AtLeast reports whether at least n units are in stock as far as the API
// tells: for n above the cap it can only say so for certain up to 100.
func (s Stock) AtLeast(n int) bool { return int(s) >= n }

// Capped reports whether the value is the cap, i.e. 100 or more in stock.
func (s Stock) Capped() bool { return int(s) >= StockCap }

// InStock reports whether at least one unit is available.
func (s Stock) InStock() bool { return s > 0 }

// String returns the count, "100+" at the cap.
func (s Stock) String() string {
	if s.Capped() {
		return strconv.Itoa(StockCap) + "+"
	}
	return strconv.Itoa(int(s))
}

// UnmarshalJSON reads a number, a string of digits or null (0).
func (s *Stock) UnmarshalJSON(b []byte) error {
	n, err := intValue(b, "availableStock")
	*s = Stock(n)
	return err
}

// Manufacturer is who makes a product.
type Manufacturer struct {
	Name string `json:"name"`
}

// Description is a product description by language code ("DE", "EN").
type Description map[string]string

// In returns the description in lang (case-insensitive), falling back to
// English, then German, then any language; "" when there is none.
func (d Description) In(lang string) string {
	for k, v := range d {
		if strings.EqualFold(k, lang) && v != "" {
			return v
		}
	}
	for _, l := range []string{"EN", "DE"} {
		if v := d[l]; v != "" {
			return v
		}
	}
	langs := d.Languages()
	for _, l := range langs {
		if d[l] != "" {
			return d[l]
		}
	}
	return ""
}

// Languages lists the language codes, sorted.
func (d Description) Languages() []string {
	out := make([]string, 0, len(d))
	for k := range d {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Product is one product of the catalogue, priced for the calling
// customer.
type Product struct {
	ID          ID     `json:"_id"`
	Name        string `json:"name"`        // internal name
	DisplayName string `json:"displayName"` // customer-facing name
	// Price is what the customer pays, after customer discounts. A product
	// without a readable price is a decoding error, never a zero price.
	Price money.Amount `json:"price"`
	// OldPrice is the original price, if the API sends one.
	OldPrice        *money.Amount `json:"oldPrice,omitempty"`
	ProductImageURL string        `json:"productImageUrl,omitempty"`
	Manufacturer    Manufacturer  `json:"manufacturer"`
	CategoryName    string        `json:"categoryName"`
	IsMultidevice   bool          `json:"isMultidevice"`
	IsSubscription  bool          `json:"isSubscription"`
	IsTerm          bool          `json:"isTerm"`
	IsMobileOnly    bool          `json:"isMobileOnly"`
	// IsBundle marks a bundle of several licence pools; its orders carry
	// bundleLicenses. False when the API leaves it out.
	IsBundle bool `json:"isBundle"`
	// LicensePools are the ids of the pools a bundle draws keys from.
	LicensePools []ID        `json:"licensePools,omitempty"`
	Duration     string      `json:"duration"` // "Lifetime", "1 Year", ...
	Seats        int         `json:"seats"`
	Description  Description `json:"description,omitempty"`
	// AvailableStock is capped at 100: see Stock.
	AvailableStock Stock  `json:"availableStock"`
	ValidRegion    Region `json:"validRegion"`
	// ValidRegionInfo describes the region, if the API sends it.
	ValidRegionInfo string `json:"validRegionInfo,omitempty"`
}

// productWire is a product as the API sends it, decoded in one pass.
type productWire struct {
	ID              wire.ID              `json:"_id"`
	Name            string               `json:"name"`
	DisplayName     string               `json:"displayName"`
	Price           amountOf[fieldPrice] `json:"price"`
	OldPrice        *money.Amount        `json:"oldPrice"`
	ProductImageURL string               `json:"productImageUrl"`
	Manufacturer    Manufacturer         `json:"manufacturer"`
	CategoryName    string               `json:"categoryName"`
	IsMultidevice   bool                 `json:"isMultidevice"`
	IsSubscription  bool                 `json:"isSubscription"`
	IsTerm          bool                 `json:"isTerm"`
	IsMobileOnly    bool                 `json:"isMobileOnly"`
	IsBundle        bool                 `json:"isBundle"`
	LicensePools    []ID                 `json:"licensePools"`
	Duration        string               `json:"duration"`
	Seats           wire.Int             `json:"seats"`
	Description     Description          `json:"description"`
	AvailableStock  Stock                `json:"availableStock"`
	ValidRegion     Region               `json:"validRegion"`
	ValidRegionInfo string               `json:"validRegionInfo"`
}

// product converts the wire product; a product without a readable price
// is an error.
func (w *productWire) product() (Product, error) {
	p := Product{
		ID: ID(w.ID), Name: w.Name, DisplayName: w.DisplayName, OldPrice: w.OldPrice,
		ProductImageURL: w.ProductImageURL, Manufacturer: w.Manufacturer, CategoryName: w.CategoryName,
		IsMultidevice: w.IsMultidevice, IsSubscription: w.IsSubscription, IsTerm: w.IsTerm,
		IsMobileOnly: w.IsMobileOnly, IsBundle: w.IsBundle, LicensePools: w.LicensePools,
		Duration: w.Duration, Seats: int(w.Seats), Description: w.Description,
		AvailableStock: w.AvailableStock, ValidRegion: w.ValidRegion, ValidRegionInfo: w.ValidRegionInfo,
	}
	var err error
	if p.Price, err = w.Price.required(); err != nil {
		return p, fmt.Errorf("attivita: product %q: %w", p.ID, err)
	}
	return p, nil
}

// productList is GET /api/products: an array of products. A null entry is
// an error, not a product without a price.
type productList []*productWire

func (l productList) products() ([]Product, error) {
	return convertList(l, "product", (*productWire).product)
}

// UnmarshalJSON decodes a product and refuses one whose price is missing,
// null or unreadable.
func (p *Product) UnmarshalJSON(b []byte) error {
	var w productWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v, err := w.product()
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// String returns the display name, or the internal name when it is empty.
func (p Product) String() string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.Name
}

// ListProductsOptions filters the product list.
type ListProductsOptions struct {
	// Region keeps only products valid in that region (DACH, EU, GLOBAL);
	// products with no region are then left out. RegionNone lists all.
	Region Region
}

func (o *ListProductsOptions) query() (url.Values, error) {
	if o == nil || o.Region == RegionNone {
		return nil, nil
	}
	switch o.Region {
	case RegionDACH, RegionEU, RegionGlobal:
		return url.Values{"region": {string(o.Region)}}, nil
	}
	return nil, pipeline.Invalid(api, "region %q is not DACH, EU or GLOBAL", string(o.Region))
}

// List returns every listed product with the customer's prices and stock.
// opts may be nil.
//
// GET /api/products[?region=DACH|EU|GLOBAL]
func (s *ProductsService) List(ctx context.Context, opts *ListProductsOptions, callOpts ...orderkit.CallOption) ([]Product, error) {
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	cs, sandbox, err := s.c.calls(ctx, "Products.List", callOpts)
	if err != nil {
		return nil, err
	}
	var out productList
	res, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{Method: "GET", Path: "products", Query: q}, &out)
	if err != nil {
		return nil, err
	}
	products, err := out.products()
	if err != nil {
		return nil, s.c.pc.InvalidAnswer("GET", "products", res, err)
	}
	return products, nil
}

// All walks the product list. The API answers the whole list at once, so
// this makes one request; it stops when yield returns false.
//
// GET /api/products
func (s *ProductsService) All(ctx context.Context, opts *ListProductsOptions, callOpts ...orderkit.CallOption) iter.Seq2[Product, error] {
	return paging.One(func() ([]Product, error) { return s.List(ctx, opts, callOpts...) })
}

// Get returns one product. An unknown or unlisted id is
// orderkit.ErrNotFound.
//
// GET /api/products/:id
func (s *ProductsService) Get(ctx context.Context, id ID, opts ...orderkit.CallOption) (*Product, error) {
	if strings.TrimSpace(string(id)) == "" {
		return nil, pipeline.Invalid(api, "empty product id")
	}
	cs, sandbox, err := s.c.calls(ctx, "Products.Get", opts)
	if err != nil {
		return nil, err
	}
	var out productWire
	path := pipeline.Path("products", string(id))
	res, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{Method: "GET", Path: path}, &out)
	if err != nil {
		return nil, err
	}
	p, err := out.product()
	if err != nil {
		return nil, s.c.pc.InvalidAnswer("GET", path, res, err)
	}
	return &p, nil
}

// intValue reads a whole number sent as a number, a string or a whole
// decimal (wire.Int); absent and null are 0. Errors name the field.
func intValue(raw json.RawMessage, field string) (int, error) {
	var n wire.Int
	if len(bytes.TrimSpace(raw)) == 0 {
		return 0, nil
	}
	if err := n.UnmarshalJSON(raw); err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	return int(n), nil
}
