package invoicing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// syncMargin is taken off the last sync time before asking what changed
// since, so a change made around the moment of the last sync is not missed.
const syncMargin = 5 * time.Minute

// maxDealPages is the most pages one deal refresh follows: at Pipedrive's 500 deals a page, a million
// deals, far beyond any company this app serves; more means the listing is not ending.
const maxDealPages = 2000

// ErrEndlessPaging says a listing did not end: the CRM sent a page cursor it had sent before, or more
// pages than any real listing has. The deals stored before it stay; the refresh time does not move.
var ErrEndlessPaging = errors.New("the deal listing does not end")

// DealList is the picker's list of deals, from the cache.
type DealList struct {
	Deals []Deal
	// SyncedAt is when the cache was last refreshed from Pipedrive; zero if never.
	SyncedAt time.Time
}

// Deals returns the cached deals matching q at once, open and won first,
// most recently updated first; it works offline.
func (s *Service) Deals(ctx context.Context, q DealQuery) (DealList, error) {
	deals, err := s.repo.Deals(ctx, q)
	if err != nil {
		return DealList{}, fmt.Errorf("read cached deals: %w", err)
	}
	st, err := s.repo.SyncState(ctx)
	if err != nil {
		return DealList{}, fmt.Errorf("read sync state: %w", err)
	}
	return DealList{Deals: deals, SyncedAt: st.DealsSyncedAt}, nil
}

// RefreshDeals brings the deal cache up to date: every page of the deals
// updated since the last refresh (all deals the first time). It returns
// how many deals were stored. Offline it returns an error wrapping
// ErrOffline and the cache stays as it was. Their organizations' and
// persons' names may be names known already (the CRM decides): a renamed
// organization shows after ReloadDeals.
func (s *Service) RefreshDeals(ctx context.Context) (int, error) {
	return s.refreshDeals(ctx, false)
}

// ReloadDeals fetches every deal again, not only those changed since the last refresh, and their
// organizations' and persons' names (DealFilter.ReadNames), so deals whose changes a refresh cannot see (an
// organization renamed, a company switched) come back current. Offline it returns an error wrapping
// ErrOffline and the cache stays as it was.
func (s *Service) ReloadDeals(ctx context.Context) (int, error) {
	return s.refreshDeals(ctx, true)
}

func (s *Service) refreshDeals(ctx context.Context, full bool) (int, error) {
	st, err := s.repo.SyncState(ctx)
	if err != nil {
		return 0, fmt.Errorf("read sync state: %w", err)
	}
	started := s.now()
	f := DealFilter{ReadNames: full}
	if !full && !st.DealsSyncedAt.IsZero() {
		f.UpdatedSince = st.DealsSyncedAt.Add(-syncMargin)
	}
	n := 0
	cursor := ""
	seen := map[string]bool{}
	for pages := 1; ; pages++ {
		if pages > maxDealPages {
			return n, fmt.Errorf("list Pipedrive deals: %w: stopped after %d pages", ErrEndlessPaging, maxDealPages)
		}
		page, err := s.crm.ListDeals(ctx, f, cursor)
		if err != nil {
			return n, fmt.Errorf("list Pipedrive deals: %w", err)
		}
		if err := s.repo.UpsertDeals(ctx, page.Deals); err != nil {
			return n, fmt.Errorf("store deals: %w", err)
		}
		n += len(page.Deals)
		if page.Next == "" {
			break
		}
		if seen[page.Next] {
			return n, fmt.Errorf("list Pipedrive deals: %w: page %d pointed back to an earlier page", ErrEndlessPaging, pages)
		}
		seen[page.Next] = true
		cursor = page.Next
	}
	if err := s.updateSyncState(ctx, func(st *SyncState) { st.DealsSyncedAt = started }); err != nil {
		return n, err
	}
	return n, nil
}

// DealSearch is the result of SearchDeals.
type DealSearch struct {
	Deals []Deal
	// Remote: the cache had nothing and the deals came from Pipedrive.
	Remote bool
}

// SearchDeals searches the cache as the rep types; when the cache has
// nothing and the text has at least two characters, it asks Pipedrive and
// caches what it finds. Offline the (empty) cache result is returned with
// an error wrapping ErrOffline.
func (s *Service) SearchDeals(ctx context.Context, q DealQuery) (DealSearch, error) {
	cached, err := s.repo.Deals(ctx, q)
	if err != nil {
		return DealSearch{}, fmt.Errorf("search cached deals: %w", err)
	}
	term := strings.TrimSpace(q.Text)
	if len(cached) > 0 || utf8.RuneCountInString(term) < 2 {
		return DealSearch{Deals: cached}, nil
	}
	found, err := s.crm.SearchDeals(ctx, term)
	if err != nil {
		if errors.Is(err, ErrOffline) {
			return DealSearch{Deals: cached}, fmt.Errorf("search Pipedrive deals: %w", err)
		}
		return DealSearch{}, fmt.Errorf("search Pipedrive deals: %w", err)
	}
	if err := s.repo.UpsertDeals(ctx, found); err != nil {
		return DealSearch{}, fmt.Errorf("store deals: %w", err)
	}
	kept := found[:0:0]
	for _, d := range found {
		if matchesDeal(d, DealQuery{Statuses: q.Statuses, OwnerID: q.OwnerID}) {
			kept = append(kept, d)
		}
	}
	return DealSearch{Deals: kept, Remote: true}, nil
}

// matchesDeal reports whether d passes q's status, owner and text filters,
// the way the DealCache filters.
func matchesDeal(d Deal, q DealQuery) bool {
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, d.Status) {
		return false
	}
	if q.OwnerID != 0 && d.OwnerID != q.OwnerID {
		return false
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	if text == "" {
		return true
	}
	for _, s := range []string{d.Title, d.OrgName, d.PersonName} {
		if strings.Contains(strings.ToLower(s), text) {
			return true
		}
	}
	return false
}
