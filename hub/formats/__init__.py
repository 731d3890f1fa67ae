"""The directory formats a hub reads and writes: Open Referral (HSDS 3.0, ORUK v3, ORUK v1) to
and from `Service`, as JSON or as HSDS 3.0 CSV tables.

This package owns the Open Referral formats; nothing else reads or writes them. One module
per job:

- `jsonio`: the one JSON file reader (file checks, UTF-8, clear errors) and writer (`dumps`).
- `feed_files`: a directory file opened for import; one over 32 MB is streamed a record at a
  time with ijson (any size is taken), and its services are then kept packed as JSON text.
- `detect`: the file's shape (one service, an array, a paged envelope) and flavour.
- `to_model`: HSDS 3.0 / ORUK v3 / ORUK v1 records to our `Service`, record by record, with
  `record_fields` reading each field; `taxonomy`: the taxonomy terms on a record and the
  needs and attendance they give; `html_text`: HTML to plain text.
- `hsds3`: our `Service` to HSDS 3.0 (the item shape of ORUK v3 lists too); `oruk1`: to ORUK v1.
- `hsds3_csv`: HSDS 3.0's tabular form, a folder of CSV tables, to and from HSDS 3.0 objects.
- `source_overlay`: each service keeps its publisher's record; an export gives that record
  back with the hub's edits laid over (the rule, and the few normalisations, are there).
- `common`: vocabularies, derived ids, results and errors the others share.

Reading (`read_directory_file`, `read_directory_files`, `parse_directory`):

- A file may hold one service object, a bare array of services, or a paginated list
  (`contents` for HSDS 3.0 / ORUK v3, `content` for ORUK v1); several files may be the pages
  of one feed, and `detect.missing_pages` says which pages an envelope promised but were not
  given. The flavour is detected from the keys the records use; one tolerant reader handles
  both flavours, so a feed that mixes them still loads.
- Import is per record. Whole-file problems (not UTF-8, not JSON, empty, an unknown shape) raise
  `DirectoryFileError` naming the file. A record that is not a service (no id, no name, not an
  object, an id already used: the first is kept) is skipped; a field that cannot be read (an
  email that is not one, a malformed URL, an unknown status, a bad date) is left out of its
  service and the rest kept. Each is one line in `ParsedDirectory.warnings`. Publishers' habits
  are read as they mean them: `-1` or empty ages are "no limit", URL schemes in capitals are the
  same address, HTML and `&nbsp;` are plain words, and a description is kept whole however long.
- Nothing is invented: how to go (attendance, referral route) comes from the source only
  (our attributes, HSDS `application_process`, ORUK `attending_type` / `attending_access` in
  the publisher's words, kept in `Attendance.words`); a record that says nothing is "not
  stated", and exports say nothing either.
- Ids: Open Referral ids are UUIDs. A record whose id is *not* a UUID (some ORUK v1 feeds use
  numbers) is given a stable UUID derived from it with uuid5, so re-importing the same feed
  updates those services instead of duplicating them; the same happens for nested
  locations. A record with no id at all is rejected.
- Needs: our own `community-hub-needs` attributes first; else the feed's taxonomy terms and
  the publisher's audience terms (ORUK `pc_targetAudience`, the `publisher-audience`
  vocabulary of data/taxonomy_map.json) through `hub.needs.map_terms_to_needs`; else
  `hub.needs.needs_from_text` over the name, description and keywords; else "Other help"
  (not a Home tile; such services are also in staff's "needs checking" list), so every
  service can be reached by need. `ParsedDirectory.placed` counts each way.

Writing (`to_hsds3`, `to_oruk1`, `hsds3_page`, `oruk1_page`):

- Every nested record gets a uuid5 id derived from the service id, so exporting the same
  directory twice gives identical bytes.
- What HSDS has no field for (needs, keywords, attendance, step-free access, hearing
  loops, the sample-data marker) goes in `attributes[]` under our own vocabularies
  (`VOCAB_*` below), whose taxonomy term ids are uuid5 of vocabulary and code.
- A service imported from a feed comes back as the feed gave it, with the hub's edits laid
  over (`source_overlay`); one made at the hub is written from our model:
- An HSDS 3.0 round trip (model -> HSDS 3.0 -> model) keeps every field the model holds.
  So does ORUK v1, which has nowhere for a location's step-free and hearing-loop flags or
  a service's `last_modified`: our v1 files carry those the HSDS 3.0 way (location
  `attributes`, `last_modified`); readers that do not know them ignore them.
- Whole directories are written as paginated lists: HSDS 3.0 as `{total_items, ...,
  contents}` (the shape ORUK v3's `service_list.schema.json` describes, each item a full
  HSDS 3.0 service) and ORUK v1 as `{totalElements, ..., content}` (its
  `service_list.schema.json`). HSDS 3.0's own `service_list.schema.json` describes one
  item of such a list, and every item validates against it as well.
"""
