package pipedrive

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Deal statuses.
const (
	StatusOpen    = "open"
	StatusWon     = "won"
	StatusLost    = "lost"
	StatusDeleted = "deleted"
)

// Deal is a v2 deal. IDs of linked entities are 0 when the deal has none.
type Deal struct {
	ID                int64               `json:"id"`
	Title             string              `json:"title"`
	CreatorUserID     int64               `json:"creator_user_id"`
	OwnerID           int64               `json:"owner_id"`
	PersonID          int64               `json:"person_id"`
	OrgID             int64               `json:"org_id"`
	PipelineID        int64               `json:"pipeline_id"`
	StageID           int64               `json:"stage_id"`
	Value             decimal.Decimal     `json:"value"`
	Currency          string              `json:"currency"`
	Status            string              `json:"status"`
	Probability       decimal.NullDecimal `json:"probability"`
	LostReason        string              `json:"lost_reason"`
	VisibleTo         int                 `json:"visible_to"`
	IsArchived        bool                `json:"is_archived"`
	IsDeleted         bool                `json:"is_deleted"`
	AddTime           Time                `json:"add_time"`
	UpdateTime        Time                `json:"update_time"`
	StageChangeTime   Time                `json:"stage_change_time"`
	CloseTime         Time                `json:"close_time"`
	WonTime           Time                `json:"won_time"`
	LostTime          Time                `json:"lost_time"`
	ArchiveTime       Time                `json:"archive_time"`
	ExpectedCloseDate Date                `json:"expected_close_date"`
	LocalWonDate      Date                `json:"local_won_date"`
	LocalCloseDate    Date                `json:"local_close_date"`
	LabelIDs          []int64             `json:"label_ids"`
	Origin            string              `json:"origin"`
	ACV               decimal.NullDecimal `json:"acv"`
	ARR               decimal.NullDecimal `json:"arr"`
	MRR               decimal.NullDecimal `json:"mrr"`
	CustomFields      CustomFields        `json:"custom_fields"`
}

// MaxPageSize is the largest page v2 lists accept.
const MaxPageSize = 500

// DealsQuery filters and orders GET /api/v2/deals. Zero fields are not sent.
type DealsQuery struct {
	Statuses     []string  // any of StatusOpen, StatusWon, StatusLost, StatusDeleted; none = all not deleted
	OwnerID      int64     // deals of this user
	PersonID     int64     // deals of this person
	OrgID        int64     // deals of this organization
	UpdatedSince time.Time // deals updated at or after this instant
	SortBy       string    // "id" (default), "update_time" or "add_time"
	Descending   bool      // sort direction
	Limit        int       // page size, 1..500; 0 means Pipedrive's default (100)
	Cursor       string    // page to fetch (from Page.NextCursor); "" = first page
}

func (q DealsQuery) values() (url.Values, error) {
	v := url.Values{}
	if q.Limit < 0 || q.Limit > MaxPageSize {
		return nil, errors.New("pipedrive: deals limit must be 1..500")
	}
	if len(q.Statuses) > 0 {
		v.Set("status", strings.Join(q.Statuses, ","))
	}
	setID(v, "owner_id", q.OwnerID)
	setID(v, "person_id", q.PersonID)
	setID(v, "org_id", q.OrgID)
	if !q.UpdatedSince.IsZero() {
		v.Set("updated_since", q.UpdatedSince.UTC().Format(time.RFC3339))
	}
	if q.SortBy != "" {
		v.Set("sort_by", q.SortBy)
	}
	if q.Descending {
		v.Set("sort_direction", "desc")
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Cursor != "" {
		v.Set("cursor", q.Cursor)
	}
	return v, nil
}

func setID(v url.Values, key string, id int64) {
	if id != 0 {
		v.Set(key, strconv.FormatInt(id, 10))
	}
}

// ListDeals fetches one page of deals.
func (c *Client) ListDeals(ctx context.Context, q DealsQuery) (Page[Deal], error) {
	v, err := q.values()
	if err != nil {
		return Page[Deal]{}, err
	}
	return listPage[Deal](ctx, c, request{method: http.MethodGet, path: "/api/v2/deals", query: v})
}

// AllDeals fetches every page of deals matching q (q.Cursor is where it starts). On error it returns the
// deals read so far with the error.
func (c *Client) AllDeals(ctx context.Context, q DealsQuery) ([]Deal, error) {
	v, err := q.values()
	if err != nil {
		return nil, err
	}
	return listAll[Deal](ctx, c, request{method: http.MethodGet, path: "/api/v2/deals", query: v})
}

// Deal fetches one deal. A deal deleted or not visible to the user is ErrNotFound.
func (c *Client) Deal(ctx context.Context, id int64) (Deal, error) {
	var d Deal
	err := c.get(ctx, "/api/v2/deals/"+strconv.FormatInt(id, 10), nil, &d)
	return d, err
}

// DealSearchQuery is GET /api/v2/deals/search.
type DealSearchQuery struct {
	Term       string // at least 2 characters, or 1 with ExactMatch
	ExactMatch bool
	Status     string // StatusOpen, StatusWon or StatusLost; "" = any
	PersonID   int64
	OrgID      int64
	Limit      int    // 1..500; 0 = Pipedrive's default
	Cursor     string // page to fetch; "" = first page
}

// DealSearchResult is one hit of a deal search.
type DealSearchResult struct {
	Score        float64         `json:"-"`
	ID           int64           `json:"id"`
	Title        string          `json:"title"`
	Value        decimal.Decimal `json:"value"`
	Currency     string          `json:"currency"`
	Status       string          `json:"status"`
	VisibleTo    int             `json:"visible_to"`
	Owner        Ref             `json:"owner"`
	Stage        Ref             `json:"stage"`
	Person       Ref             `json:"person"`
	Organization Ref             `json:"organization"`
	CustomFields []string        `json:"custom_fields"` // matched custom field values, as text
	Notes        []string        `json:"notes"`         // matched notes
	IsArchived   bool            `json:"is_archived"`
}

type searchData struct {
	Items []struct {
		ResultScore float64          `json:"result_score"`
		Item        DealSearchResult `json:"item"`
	} `json:"items"`
}

// SearchDeals searches deal titles, notes and custom fields. Calls are paced to Pipedrive's search limit
// (10 per 2 seconds).
func (c *Client) SearchDeals(ctx context.Context, q DealSearchQuery) (Page[DealSearchResult], error) {
	n := len([]rune(strings.TrimSpace(q.Term)))
	if n < 2 && (n == 0 || !q.ExactMatch) {
		return Page[DealSearchResult]{}, errors.New("pipedrive: search term needs at least 2 characters (1 with exact match)")
	}
	if q.Limit < 0 || q.Limit > MaxPageSize {
		return Page[DealSearchResult]{}, errors.New("pipedrive: search limit must be 1..500")
	}
	v := url.Values{"term": {q.Term}}
	if q.ExactMatch {
		v.Set("exact_match", "true")
	}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	setID(v, "person_id", q.PersonID)
	setID(v, "organization_id", q.OrgID)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Cursor != "" {
		v.Set("cursor", q.Cursor)
	}
	var data searchData
	env, err := c.do(ctx, request{method: http.MethodGet, path: "/api/v2/deals/search", query: v, search: true}, &data)
	if err != nil {
		return Page[DealSearchResult]{}, err
	}
	page := Page[DealSearchResult]{NextCursor: env.AdditionalData.NextCursor}
	for _, it := range data.Items {
		r := it.Item
		r.Score = it.ResultScore
		page.Items = append(page.Items, r)
	}
	return page, nil
}
