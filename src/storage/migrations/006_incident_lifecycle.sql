-- The incident lifecycle (ADR 12): who works an incident, when it was acknowledged, contained,
-- resolved and closed, its root cause and post-mortem, the plan for money still held when it
-- was resolved, and the scenario of a drill. The moves themselves are a table in the core
-- (src/core/incidents/lifecycle.ts); every move is in incident_events and the audit chain.

ALTER TABLE incidents ADD COLUMN assignee text;
ALTER TABLE incidents ADD COLUMN acknowledged_at timestamptz;
ALTER TABLE incidents ADD COLUMN acknowledged_by text;
ALTER TABLE incidents ADD COLUMN contained_at timestamptz;
-- The last resolution: reopening clears it, resolving again sets it anew.
ALTER TABLE incidents ADD COLUMN resolved_at timestamptz;
ALTER TABLE incidents ADD COLUMN closed_at timestamptz;
-- { category, detail, operator?, recordedBy, recordedAt }
ALTER TABLE incidents ADD COLUMN root_cause jsonb;
-- { summary, lessons: [text], recordedBy, recordedAt }
ALTER TABLE incidents ADD COLUMN post_mortem jsonb;
-- What happens to money still held when the incident was resolved without its release.
ALTER TABLE incidents ADD COLUMN held_money_plan text;
-- The drill scenario; only drills have one.
ALTER TABLE incidents ADD COLUMN scenario text;
ALTER TABLE incidents ADD CONSTRAINT incidents_scenario_drill CHECK (scenario IS NULL OR drill);

-- The queue filters by assignee and by age; the dashboard reads the last 30 days.
CREATE INDEX incidents_assignee ON incidents (assignee, opened_at DESC) WHERE assignee IS NOT NULL;
CREATE INDEX incidents_opened ON incidents (opened_at DESC);

-- Alerts a drill makes up. They belong to the drill's incident and stay out of the real alert
-- list, the screening's deduplication and the dashboard.
ALTER TABLE alerts ADD COLUMN drill boolean NOT NULL DEFAULT false;
CREATE INDEX alerts_created ON alerts (created_at DESC) WHERE NOT drill;
