"""The directory formats a hub reads and writes: Open Referral (HSDS 3.0, ORUK v3, ORUK v1) to
and from `Service`, as JSON or as HSDS 3.0 CSV tables.

This package owns the Open Referral formats; nothing else reads or writes them. One module
per job:

- `jsonio`: the one JSON file reader (file checks, UTF-8, clear errors) and writer (`dumps`).
- `detect`: the file's shape (one service, an array, a paged envelope) and flavour.
- `to_model`: HSDS 3.0 / ORUK v3 / ORUK v1 records to our `Service`; `taxonomy`: the taxonomy
  terms on a record and the needs and attendance they give; `html_text`: HTML to plain text.
- `hsds3`: our `Service` to HSDS 3.0 (the item shape of ORUK v3 lists too); `oruk1`: to ORUK v1.
- `hsds3_csv`: HSDS 3.0's tabular form, a folder of CSV tables, to and from HSDS 3.0 objects.
- `common`: vocabularies, derived ids, results and errors the others share.

Reading (`read_directory_file`, `parse_directory`):

- A file may hold one service object, a bare array of services, or a paginated list
  (`contents` for HSDS 3.0 / ORUK v3, `content` for ORUK v1). The flavour is detected from
  the keys the records use; one tolerant reader handles both flavours, so a feed that mixes
  them still loads.
- Whole-file problems (too big, not UTF-8, not JSON, empty, an unknown shape, the same id
  twice) raise `DirectoryFileError` naming the file. Problems with one record reject only
  that record, with a reason that names the service and the field.
- Ids: Open Referral ids are UUIDs. A record whose id is *not* a UUID (some ORUK v1 feeds use
  numbers) is given a stable UUID derived from it with uuid5, so re-importing the same feed
  updates those services instead of duplicating them; the same happens for nested
  locations. A record with no id at all is rejected.
- Needs: our own `community-hub-needs` attributes first; else the feed's taxonomy terms
  through `hub.needs.map_terms_to_needs`; else `hub.needs.needs_from_text` over the name,
  description and keywords, so browse-by-need works on a council feed that knows nothing
  of our needs.

Writing (`to_hsds3`, `to_oruk1`, `hsds3_page`, `oruk1_page`):

- Every nested record gets a uuid5 id derived from the service id, so exporting the same
  directory twice gives identical bytes.
- What HSDS has no field for (needs, keywords, attendance, step-free access, hearing
  loops, the sample-data marker) goes in `attributes[]` under our own vocabularies
  (`VOCAB_*` below), whose taxonomy term ids are uuid5 of vocabulary and code.
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
