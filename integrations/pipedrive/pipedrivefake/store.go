package pipedrivefake

import (
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Num is a decimal written as a JSON number, as Pipedrive sends amounts.
type Num struct{ decimal.Decimal }

// N parses a decimal literal; it panics on a malformed literal (for seeds and tests).
func N(s string) Num { return Num{decimal.RequireFromString(s)} }

// MarshalJSON writes the number without quotes.
func (n Num) MarshalJSON() ([]byte, error) { return []byte(n.String()), nil }

// The entity types below marshal to the exact v2 (or v1, where noted) wire shapes.

// User is the answer of GET /v1/users/me, and a deal owner.
type User struct {
	ID                int64        `json:"id"`
	Name              string       `json:"name"`
	DefaultCurrency   string       `json:"default_currency"`
	Locale            string       `json:"locale"`
	Lang              int          `json:"lang"`
	Email             string       `json:"email"`
	Phone             string       `json:"phone"`
	Activated         bool         `json:"activated"`
	LastLogin         string       `json:"last_login"`
	Created           string       `json:"created"`
	Modified          string       `json:"modified"`
	HasCreatedCompany bool         `json:"has_created_company"`
	Access            []UserAccess `json:"access"`
	ActiveFlag        bool         `json:"active_flag"`
	TimezoneName      string       `json:"timezone_name"`
	TimezoneOffset    string       `json:"timezone_offset"`
	RoleID            int          `json:"role_id"`
	IconURL           *string      `json:"icon_url"`
	IsYou             bool         `json:"is_you"`
	IsDeleted         bool         `json:"is_deleted"`
	CompanyID         int64        `json:"company_id"`
	CompanyName       string       `json:"company_name"`
	CompanyDomain     string       `json:"company_domain"`
	CompanyCountry    string       `json:"company_country"`
	CompanyIndustry   string       `json:"company_industry"`
	Language          UserLanguage `json:"language"`
}

// UserAccess is one app permission of a user.
type UserAccess struct {
	App             string `json:"app"`
	Admin           bool   `json:"admin"`
	PermissionSetID string `json:"permission_set_id"`
}

// UserLanguage is a user's interface language.
type UserLanguage struct {
	LanguageCode string `json:"language_code"`
	CountryCode  string `json:"country_code"`
}

// Currency is an entry of GET /v1/currencies.
type Currency struct {
	ID            int64  `json:"id"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	DecimalPoints int    `json:"decimal_points"`
	Symbol        string `json:"symbol"`
	ActiveFlag    bool   `json:"active_flag"`
	IsCustomFlag  bool   `json:"is_custom_flag"`
}

// Field is a field definition (v2 *Fields).
type Field struct {
	FieldName               string        `json:"field_name"`
	FieldCode               string        `json:"field_code"`
	Description             *string       `json:"description"`
	FieldType               string        `json:"field_type"`
	Options                 []FieldOption `json:"options"`
	Subfields               []Subfield    `json:"subfields"`
	IsCustomField           bool          `json:"is_custom_field"`
	IsOptionalResponseField bool          `json:"is_optional_response_field"`
}

// FieldOption is an enum/set choice.
type FieldOption struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	Color string `json:"color,omitempty"`
}

// Subfield is part of a composite field.
type Subfield struct {
	FieldCode string `json:"field_code"`
	FieldName string `json:"field_name"`
	FieldType string `json:"field_type"`
}

// Address is a v2 address object; nil parts are null.
type Address struct {
	Value            *string `json:"value"`
	Country          *string `json:"country"`
	AdminAreaLevel1  *string `json:"admin_area_level_1"`
	AdminAreaLevel2  *string `json:"admin_area_level_2"`
	Locality         *string `json:"locality"`
	Sublocality      *string `json:"sublocality"`
	Route            *string `json:"route"`
	StreetNumber     *string `json:"street_number"`
	Subpremise       *string `json:"subpremise"`
	PostalCode       *string `json:"postal_code"`
	FormattedAddress *string `json:"formatted_address,omitempty"`
}

// Organization is a v2 organization.
type Organization struct {
	ID            int64          `json:"id"`
	Name          string         `json:"name"`
	OwnerID       int64          `json:"owner_id"`
	AddTime       time.Time      `json:"add_time"`
	UpdateTime    time.Time      `json:"update_time"`
	Address       *Address       `json:"address"`
	IsDeleted     bool           `json:"is_deleted"`
	VisibleTo     int            `json:"visible_to"`
	LabelIDs      []int64        `json:"label_ids"`
	Website       *string        `json:"website"`
	LinkedIn      *string        `json:"linkedin"`
	Industry      *int64         `json:"industry"`
	AnnualRevenue *Num           `json:"annual_revenue"`
	EmployeeCount *int           `json:"employee_count"`
	CustomFields  map[string]any `json:"custom_fields"`
}

// ContactPoint is an e-mail or phone entry of a person.
type ContactPoint struct {
	Value   string `json:"value"`
	Primary bool   `json:"primary"`
	Label   string `json:"label"`
}

// Person is a v2 person.
type Person struct {
	ID           int64          `json:"id"`
	Name         string         `json:"name"`
	FirstName    string         `json:"first_name"`
	LastName     string         `json:"last_name"`
	OwnerID      int64          `json:"owner_id"`
	OrgID        *int64         `json:"org_id"`
	AddTime      time.Time      `json:"add_time"`
	UpdateTime   time.Time      `json:"update_time"`
	Emails       []ContactPoint `json:"emails"`
	Phones       []ContactPoint `json:"phones"`
	IsDeleted    bool           `json:"is_deleted"`
	VisibleTo    int            `json:"visible_to"`
	LabelIDs     []int64        `json:"label_ids"`
	PictureID    *int64         `json:"picture_id"`
	CustomFields map[string]any `json:"custom_fields"`
}

// ProductPrice is a product's price in one currency.
type ProductPrice struct {
	ProductID  int64  `json:"product_id"`
	Price      Num    `json:"price"`
	Currency   string `json:"currency"`
	Cost       Num    `json:"cost"`
	DirectCost Num    `json:"direct_cost"`
	Notes      string `json:"notes"`
}

// Product is a v2 catalogue product.
type Product struct {
	ID                     int64          `json:"id"`
	Name                   string         `json:"name"`
	Code                   string         `json:"code"`
	Description            string         `json:"description"`
	Unit                   string         `json:"unit"`
	Tax                    Num            `json:"tax"`
	Category               *string        `json:"category"`
	IsLinkable             bool           `json:"is_linkable"`
	IsDeleted              bool           `json:"is_deleted"`
	VisibleTo              int            `json:"visible_to"`
	OwnerID                int64          `json:"owner_id"`
	AddTime                time.Time      `json:"add_time"`
	UpdateTime             time.Time      `json:"update_time"`
	BillingFrequency       string         `json:"billing_frequency"`
	BillingFrequencyCycles *int           `json:"billing_frequency_cycles"`
	Prices                 []ProductPrice `json:"prices"`
	CustomFields           map[string]any `json:"custom_fields"`
}

// Deal is a v2 deal.
type Deal struct {
	ID                int64          `json:"id"`
	Title             string         `json:"title"`
	CreatorUserID     int64          `json:"creator_user_id"`
	OwnerID           int64          `json:"owner_id"`
	Value             Num            `json:"value"`
	PersonID          *int64         `json:"person_id"`
	OrgID             *int64         `json:"org_id"`
	StageID           int64          `json:"stage_id"`
	PipelineID        int64          `json:"pipeline_id"`
	Currency          string         `json:"currency"`
	ArchiveTime       *time.Time     `json:"archive_time"`
	AddTime           time.Time      `json:"add_time"`
	UpdateTime        time.Time      `json:"update_time"`
	StageChangeTime   *time.Time     `json:"stage_change_time"`
	Status            string         `json:"status"`
	IsArchived        bool           `json:"is_archived"`
	IsDeleted         bool           `json:"is_deleted"`
	Probability       *int           `json:"probability"`
	LostReason        *string        `json:"lost_reason"`
	VisibleTo         int            `json:"visible_to"`
	CloseTime         *time.Time     `json:"close_time"`
	WonTime           *time.Time     `json:"won_time"`
	LostTime          *time.Time     `json:"lost_time"`
	LocalWonDate      *string        `json:"local_won_date"`
	LocalLostDate     *string        `json:"local_lost_date"`
	LocalCloseDate    *string        `json:"local_close_date"`
	ExpectedCloseDate *string        `json:"expected_close_date"`
	LabelIDs          []int64        `json:"label_ids"`
	Origin            string         `json:"origin"`
	OriginID          *string        `json:"origin_id"`
	Channel           *int64         `json:"channel"`
	ChannelID         *string        `json:"channel_id"`
	SourceLeadID      *string        `json:"source_lead_id"`
	ACV               *Num           `json:"acv"`
	ARR               *Num           `json:"arr"`
	MRR               *Num           `json:"mrr"`
	CustomFields      map[string]any `json:"custom_fields"`
}

// DealProduct is a product line of a deal.
type DealProduct struct {
	ID                     int64     `json:"id"`
	Sum                    Num       `json:"sum"`
	Tax                    Num       `json:"tax"`
	DealID                 int64     `json:"deal_id"`
	Name                   string    `json:"name"`
	ProductID              int64     `json:"product_id"`
	ProductVariationID     *int64    `json:"product_variation_id"`
	OrderNr                int       `json:"order_nr"`
	AddTime                time.Time `json:"add_time"`
	UpdateTime             time.Time `json:"update_time"`
	Comments               string    `json:"comments"`
	Currency               string    `json:"currency"`
	Discount               Num       `json:"discount"`
	Quantity               Num       `json:"quantity"`
	ItemPrice              Num       `json:"item_price"`
	TaxMethod              string    `json:"tax_method"`
	DiscountType           string    `json:"discount_type"`
	IsEnabled              bool      `json:"is_enabled"`
	BillingFrequency       string    `json:"billing_frequency"`
	BillingFrequencyCycles *int      `json:"billing_frequency_cycles"`
	BillingStartDate       *string   `json:"billing_start_date"`
}

// Discount is a deal-level discount.
type Discount struct {
	ID          string    `json:"id"`
	Description string    `json:"description"`
	Amount      Num       `json:"amount"`
	Type        string    `json:"type"`
	DealID      int64     `json:"deal_id"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
}

// Installment is a scheduled payment of a deal.
type Installment struct {
	ID          int64  `json:"id"`
	Amount      Num    `json:"amount"`
	BillingDate string `json:"billing_date"`
	DealID      int64  `json:"deal_id"`
	Description string `json:"description"`
}

// Note is a v1 note (the shape of POST /v1/notes answers, trimmed to deal notes).
type Note struct {
	ID                 int64     `json:"id"`
	ActiveFlag         bool      `json:"active_flag"`
	AddTime            string    `json:"add_time"`
	Content            string    `json:"content"`
	Deal               *TitleRef `json:"deal"`
	DealID             int64     `json:"deal_id"`
	LastUpdateUserID   int64     `json:"last_update_user_id"`
	OrgID              *int64    `json:"org_id"`
	Organization       *NameRef  `json:"organization"`
	Person             *NameRef  `json:"person"`
	PersonID           *int64    `json:"person_id"`
	PinnedToDealFlag   bool      `json:"pinned_to_deal_flag"`
	PinnedToOrgFlag    bool      `json:"pinned_to_organization_flag"`
	PinnedToPersonFlag bool      `json:"pinned_to_person_flag"`
	UpdateTime         string    `json:"update_time"`
	User               NoteUser  `json:"user"`
	UserID             int64     `json:"user_id"`
}

// TitleRef is a deal's title embedded in a note.
type TitleRef struct {
	Title string `json:"title"`
}

// NameRef is an organization's or person's name embedded in a note.
type NameRef struct {
	Name string `json:"name"`
}

// NoteUser is the author embedded in a note.
type NoteUser struct {
	Email   string  `json:"email"`
	IconURL *string `json:"icon_url"`
	IsYou   bool    `json:"is_you"`
	Name    string  `json:"name"`
}

// Stage is a pipeline stage (used in search results).
type Stage struct {
	ID   int64
	Name string
}

// Dataset is everything a fake company holds. Generate makes a realistic one; tests may build their own.
type Dataset struct {
	Me                 User // the user every token belongs to
	Users              []User
	Currencies         []Currency
	Stages             []Stage
	DealFields         []Field
	OrganizationFields []Field
	PersonFields       []Field
	Organizations      []Organization
	Persons            []Person
	Products           []Product
	Deals              []Deal
	DealProducts       []DealProduct
	Discounts          []Discount
	Installments       []Installment
}

// FieldCode is the code of the field with the given name, or "" when there is none.
func FieldCode(fields []Field, name string) string {
	for _, f := range fields {
		if f.FieldName == name {
			return f.FieldCode
		}
	}
	return ""
}

// store is the server's mutable copy of a Dataset; Server.mu guards it.
type store struct {
	Dataset
	notes      []Note
	nextNoteID int64
}

func newStore(d Dataset) *store {
	cp := Dataset{
		Me: d.Me, Users: slices.Clone(d.Users), Currencies: slices.Clone(d.Currencies), Stages: slices.Clone(d.Stages),
		DealFields: slices.Clone(d.DealFields), OrganizationFields: slices.Clone(d.OrganizationFields),
		PersonFields: slices.Clone(d.PersonFields), Organizations: slices.Clone(d.Organizations),
		Persons: slices.Clone(d.Persons), Products: slices.Clone(d.Products), Deals: slices.Clone(d.Deals),
		DealProducts: slices.Clone(d.DealProducts), Discounts: slices.Clone(d.Discounts),
		Installments: slices.Clone(d.Installments),
	}
	return &store{Dataset: cp, nextNoteID: 1}
}

func (st *store) deal(id int64) (*Deal, bool) {
	for i := range st.Deals {
		if st.Deals[i].ID == id {
			return &st.Deals[i], true
		}
	}
	return nil, false
}

func (st *store) organization(id int64) (*Organization, bool) {
	for i := range st.Organizations {
		if st.Organizations[i].ID == id {
			return &st.Organizations[i], true
		}
	}
	return nil, false
}

func (st *store) person(id int64) (*Person, bool) {
	for i := range st.Persons {
		if st.Persons[i].ID == id {
			return &st.Persons[i], true
		}
	}
	return nil, false
}

func (st *store) stageName(id int64) string {
	for _, s := range st.Stages {
		if s.ID == id {
			return s.Name
		}
	}
	return ""
}

// Deal returns a copy of a deal, for tests.
func (s *Server) Deal(id int64) (Deal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.data.deal(id)
	if !ok {
		return Deal{}, false
	}
	return *d, true
}

// Organization returns a copy of an organization, for tests.
func (s *Server) Organization(id int64) (Organization, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.data.organization(id)
	if !ok {
		return Organization{}, false
	}
	c := *o
	c.CustomFields = maps.Clone(o.CustomFields)
	return c, true
}

// OrganizationFields returns the organization fields as they are now, those added through the API
// included, for tests.
func (s *Server) OrganizationFields() []Field {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.data.OrganizationFields)
}

// UpdateDeal changes a deal in place and stamps its update_time with the clock.
func (s *Server) UpdateDeal(id int64, change func(*Deal)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.data.deal(id)
	if ok {
		change(d)
		d.UpdateTime = s.opts.Now().UTC().Truncate(time.Second)
	}
	return ok
}

// UpdateOrganization changes an organization in place (a rename, say) and stamps its update_time with the
// clock; as in Pipedrive, its deals' update_time stays.
func (s *Server) UpdateOrganization(id int64, change func(*Organization)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.data.organization(id)
	if ok {
		change(o)
		o.UpdateTime = s.opts.Now().UTC().Truncate(time.Second)
	}
	return ok
}

// UpdateDealLines changes a deal's product lines and deal-level discounts in place (change gets
// pointers into the company's data, deals' lines other than id's excluded) and, as Pipedrive does when
// they change the deal's value, stamps the deal's update_time with the clock.
func (s *Server) UpdateDealLines(id int64, change func(products []*DealProduct, discounts []*Discount)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.data.deal(id)
	if !ok {
		return false
	}
	var products []*DealProduct
	for i := range s.data.DealProducts {
		if s.data.DealProducts[i].DealID == id {
			products = append(products, &s.data.DealProducts[i])
		}
	}
	var discounts []*Discount
	for i := range s.data.Discounts {
		if s.data.Discounts[i].DealID == id {
			discounts = append(discounts, &s.data.Discounts[i])
		}
	}
	change(products, discounts)
	now := s.opts.Now().UTC().Truncate(time.Second)
	for _, p := range products {
		p.UpdateTime = now
	}
	for _, dd := range discounts {
		dd.UpdatedAt = now
	}
	d.UpdateTime = now
	return true
}

// Notes returns a copy of every note created through the API.
func (s *Server) Notes() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.data.notes)
}

// Load replaces all of the company's data (and forgets created notes), e.g. to reset the demo.
func (s *Server) Load(d Dataset) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data = newStore(d)
}
