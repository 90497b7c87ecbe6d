package adapters

import (
	"context"
	"testing"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive/pipedrivefake"
)

// namesWorld is a company of 300 deals on one clock, the rep's Dealbooks having listed them all, over the
// pair's store in dir (as the window and the CLI keep it).
func namesWorld(t *testing.T) (*world, string) {
	t.Helper()
	w, dir := dayWorld(t, time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)), t.TempDir()
	svc, _ := appService(t, w, dir, w.clock.Now)
	if _, err := svc.RefreshDeals(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w, dir
}

// orgNamesOf returns the organization names the local deal list shows for the deals of organization org.
func orgNamesOf(t *testing.T, svc *invoicing.Service, org int64) map[string]int {
	t.Helper()
	list, err := svc.Deals(context.Background(), invoicing.DealQuery{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, d := range list.Deals {
		if d.OrgID == org {
			names[d.OrgName]++
		}
	}
	return names
}

// An organization renamed in Pipedrive leaves its deals' update_time as it was, so only Reload all deals
// can show the new name: in the window that listed the deals (which knew the old name) and in a new
// process alike.
func TestReloadAllDealsShowsARenamedOrganization(t *testing.T) {
	for _, tc := range []struct {
		name       string
		newProcess bool
	}{
		{"the window that listed them", false},
		{"a new process", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			w, dir := namesWorld(t)
			svc, _ := appService(t, w, dir, w.clock.Now)
			if _, err := svc.RefreshDeals(ctx); err != nil { // this process knows the names now
				t.Fatal(err)
			}
			deal := seeded{w.pd.data}.findDeal(t, func(d pipedrivefake.Deal) bool { return d.OrgID != nil })
			org := *deal.OrgID
			w.clock.Advance(time.Hour)
			if !w.pd.fake.UpdateOrganization(org, func(o *pipedrivefake.Organization) { o.Name = "Renamed Holdings" }) {
				t.Fatalf("organization %d not in the fake", org)
			}
			if tc.newProcess {
				svc, _ = appService(t, w, dir, w.clock.Now)
			}
			n, err := svc.ReloadDeals(ctx)
			if err != nil || n != len(w.pd.data.Deals) {
				t.Fatalf("reload stored %d deals (%v), want all %d", n, err, len(w.pd.data.Deals))
			}
			names := orgNamesOf(t, svc, org)
			if len(names) != 1 || names["Renamed Holdings"] == 0 {
				t.Errorf("after Reload all deals the deals of organization %d show %v, want every one Renamed Holdings", org, names)
			}
		})
	}
}

// A new process (the window opened the next morning, a CLI run) lists the deals changed since the last
// listing and names their organizations and persons from the local deal list, reading only names the
// list does not have; Reload all deals afterwards still shows a rename.
func TestListingChangedDealsTakesTheNamesTheDealListHas(t *testing.T) {
	ctx := context.Background()
	w, dir := namesWorld(t)
	s := seeded{w.pd.data}
	w.clock.Advance(time.Hour)
	var changed []int64
	for _, d := range s.Deals {
		if d.OrgID != nil && d.PersonID != nil && len(changed) < 3 {
			changed = append(changed, d.ID)
			w.pd.fake.UpdateDeal(d.ID, func(d *pipedrivefake.Deal) { d.Title += " (updated)" })
		}
	}
	svc, _ := appService(t, w, dir, w.clock.Now)
	orgs, persons := w.pd.fake.Count("GET /api/v2/organizations"), w.pd.fake.Count("GET /api/v2/persons")
	if n, err := svc.RefreshDeals(ctx); err != nil || n != len(changed) {
		t.Fatalf("refresh stored %d deals (%v), want the %d changed", n, err, len(changed))
	}
	if o, p := w.pd.fake.Count("GET /api/v2/organizations")-orgs, w.pd.fake.Count("GET /api/v2/persons")-persons; o+p != 0 {
		t.Errorf("listing the changed deals read names %d + %d times, want none: the deal list has them", o, p)
	}
	list, err := svc.Deals(ctx, invoicing.DealQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list.Deals {
		for _, id := range changed {
			if d.ID != id {
				continue
			}
			deal, _ := w.pd.fake.Deal(id)
			if d.Title != deal.Title || d.OrgName != s.org(*deal.OrgID).Name || d.PersonName != s.person(*deal.PersonID).Name {
				t.Errorf("changed deal %d listed as %q, %q, %q; want %q with its organization's and person's names",
					id, d.Title, d.OrgName, d.PersonName, deal.Title)
			}
		}
	}

	// A deal moved to an organization the list has no name for: that one name is read.
	var fresh *pipedrivefake.Organization
	named := map[int64]bool{}
	for _, d := range list.Deals {
		named[d.OrgID] = d.OrgName != ""
	}
	for i, o := range s.Organizations {
		if !named[o.ID] {
			fresh = &s.Organizations[i]
			break
		}
	}
	if fresh == nil {
		t.Fatal("the seeded company has no organization without a deal")
	}
	w.clock.Advance(time.Hour)
	w.pd.fake.UpdateDeal(changed[0], func(d *pipedrivefake.Deal) { d.OrgID = &fresh.ID })
	orgs = w.pd.fake.Count("GET /api/v2/organizations")
	if _, err := svc.RefreshDeals(ctx); err != nil {
		t.Fatal(err)
	}
	if o := w.pd.fake.Count("GET /api/v2/organizations") - orgs; o != 1 {
		t.Errorf("a deal moved to an organization the list never named: %d organization reads, want 1", o)
	}
	if names := orgNamesOf(t, svc, fresh.ID); names[fresh.Name] != 1 {
		t.Errorf("the moved deal's organization shows as %v, want %q", names, fresh.Name)
	}

	// Renamed since: the changes-only listing cannot see it; Reload all deals does.
	org := *s.findDeal(t, func(d pipedrivefake.Deal) bool { return d.OrgID != nil }).OrgID
	w.pd.fake.UpdateOrganization(org, func(o *pipedrivefake.Organization) { o.Name = "Renamed Holdings" })
	if _, err := svc.ReloadDeals(ctx); err != nil {
		t.Fatal(err)
	}
	if names := orgNamesOf(t, svc, org); len(names) != 1 || names["Renamed Holdings"] == 0 {
		t.Errorf("after Reload all deals the deals of organization %d show %v, want Renamed Holdings", org, names)
	}
}
