package qbofake

import (
	"strings"
	"time"
)

// cdcWindow is how far back CDC reaches; cdcMax bounds the objects returned.
const (
	cdcWindow = 30 * 24 * time.Hour
	cdcMax    = 1000
)

// cdcEntities are the entities the fake tracks changes for.
var cdcEntities = map[string]bool{"Invoice": true, "Payment": true, "Customer": true, "Item": true}

// cdc answers a change-data-capture request: for each entity, the objects
// updated after since, then the ones deleted after since.
func (co *company) cdc(entities, changedSince string) ([]map[string]any, *apiError) {
	if entities == "" {
		return nil, errSystem("entities is required")
	}
	if changedSince == "" {
		return nil, errSystem("changedSince is required")
	}
	since, err := time.Parse(time.RFC3339, changedSince)
	if err != nil {
		if since, err = time.Parse(time.DateOnly, changedSince); err != nil {
			return nil, errSystem("changedSince is not a date-time: " + changedSince)
		}
	}
	if co.now().Sub(since) > cdcWindow {
		return nil, errSystem("changedSince must be within the last 30 days")
	}
	var responses []map[string]any
	total := 0
	for _, name := range strings.Split(entities, ",") {
		entity, ok := canonicalEntity(strings.TrimSpace(name))
		if !ok || !cdcEntities[entity] {
			return nil, errSystem("Invalid entity supplied: " + name)
		}
		var changed []any
		for _, obj := range co.objects(entity) {
			row := toMap(obj)
			ts, _ := field(row, "MetaData.LastUpdatedTime").(string)
			if t, err := time.Parse(time.RFC3339, ts); err == nil && t.After(since) && total < cdcMax {
				changed = append(changed, obj)
				total++
			}
		}
		for _, d := range co.deleted {
			if d.entity == entity && d.at.After(since) && total < cdcMax {
				changed = append(changed, map[string]any{
					"status": "Deleted", "domain": "QBO", "Id": d.id,
					"MetaData": map[string]string{"LastUpdatedTime": metaTime(d.at)},
				})
				total++
			}
		}
		qr := map[string]any{"startPosition": 1, "maxResults": len(changed)}
		if len(changed) > 0 {
			qr[entity] = changed
		}
		responses = append(responses, qr)
	}
	return []map[string]any{{"QueryResponse": responses}}, nil
}
