"""The per-site pass of a query, compiled: hard filters, distance, component scores and the
ordering key of every qualifying site in one loop.

Why compiled: a vectorised numpy pass costs some forty array operations per query, each with
its own temporary and call overhead; on a few thousand sites that overhead is the whole
answer time, and on a million it is memory traffic. One loop touches each site once.

The arithmetic follows `engine.py`'s formulas operation by operation (same float64 order,
same clipping, `rint` for numpy's `round`), so scores and keys are the ones a plain numpy scan
gives; distances may differ from numpy's vectorised trigonometry in the last bit only.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from app.geo import EARTH_RADIUS_KM

# Columns of the component matrix, in the order the engine sums them.
WORK_KINDS, DISTANCE, CAPACITY, AVAILABILITY, CERTIFICATIONS = range(5)
N_COMPONENTS = 5

_DEG = math.pi / 180.0
_DIST_BITS = 25
_MAX_CENTI = 10_000
# Bits for a company rank beside an ordering key (< 2**40) in one int64: 2**23 companies.
RANK_BITS = 23
# A site is skipped before the haversine only when its latitude difference alone (a lower
# bound of the great-circle distance) exceeds the limit by more than rounding could explain.
_SLACK_REL = 1e-9
_SLACK_KM = 1e-9


@numba.njit(cache=True, nogil=True)
def _any_bit(site_kinds, site, masks, row):
    for w in range(masks.shape[1]):
        if site_kinds[w, site] & masks[row, w]:
            return True
    return False


@numba.njit(cache=True, nogil=True)
def _has_bit(mask, bit):
    return (mask[bit // 64] >> np.uint64(bit % 64)) & np.uint64(1) != 0


@numba.njit(cache=True, nogil=True)
def _clip(x, lo, hi):
    # np.clip semantics, NaN included (it passes through).
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


@numba.njit(cache=True, nogil=True)
def _restricted_here(restrict_key, key):
    if restrict_key.size == 0:
        return False
    at = np.searchsorted(restrict_key, key)
    if at >= restrict_key.size:
        at = restrict_key.size - 1
    return restrict_key[at] == key


@numba.njit(cache=True, nogil=True)
def scan(
    starts, ends,
    # kinds and company checks
    site_kinds, wanted_mask, site_flags, need, use_flags,
    site_company, company_active, company_certs, required,
    removed, use_removed,
    # where
    located, lat, lon, has_limit, limit_km, site_lat, site_lon, site_radius,
    # work kinds: per asked code, the bits that earn full credit and those that earn the
    # sibling credit (zero for a group or a kind outside any group)
    full_masks, sibling_masks, sibling_credit,
    # weights (0 where a component does not apply) and their sum over the applicable ones
    w_kinds, w_distance, w_capacity, w_availability, w_certifications, weight_sum,
    distance_half_km,
    # capacity: needed < 0 when not asked; exact from the capabilities above the slot clamp
    needed, exact_capacity,
    slot_start, slot_kind, slot_workers,
    cap_start, cap_kind, cap_workers, cap_restricted, restrict_key,
    # availability: start < 0 when not asked
    start, grace_days, company_available,
    # preferred certifications: their bits among the held ones, and how many were asked
    preferred_words, n_preferred,
    # out: one row per qualifying site
    out_site, out_company, out_dist, out_key, out_score, out_components,
):
    n_words = site_kinds.shape[0]
    n_sites = site_kinds.shape[1]
    n_cert_words = company_certs.shape[0]
    n_asked = full_masks.shape[0]
    phi1 = lat * _DEG
    lmb1 = lon * _DEG
    cos_phi1 = math.cos(phi1)
    # The latitude bound holds only for latitudes on the globe (cosines not negative).
    on_globe = abs(lat) <= 90.0
    # With a distance limit, a longitude bound too: within the latitude band the limit allows,
    # cos(site latitude) >= cos_band, so a site whose longitude differs by more than
    # `max_dlon` (degrees) lies beyond the limit.
    max_dlon = 360.0
    if located and on_globe and has_limit and limit_km >= 0:
        theta = limit_km * (1.0 + _SLACK_REL) / EARTH_RADIUS_KM  # the limit as an angle
        band = abs(phi1) + theta + 1e-9
        if band < math.pi / 2:
            hav_limit = math.sin(min(math.pi, theta) / 2.0)
            ratio = hav_limit * hav_limit / (cos_phi1 * math.cos(band))
            if ratio < 1.0:
                max_dlon = math.degrees(2.0 * math.asin(math.sqrt(ratio))) * (1.0 + 1e-6) + 1e-9
    count = 0
    for r in range(starts.size):
        for site in range(starts[r], ends[r]):
            hit = False
            for w in range(n_words):
                if site_kinds[w, site] & wanted_mask[w]:
                    hit = True
                    break
            if not hit:
                continue
            if use_flags and (site_flags[site] & need) != need:
                continue
            company = site_company[site]
            if not use_flags:
                if not company_active[company]:
                    continue
                ok = True
                for w in range(n_cert_words):
                    if (company_certs[w, company] & required[w]) != required[w]:
                        ok = False
                        break
                if not ok:
                    continue
            if use_removed and removed[company]:
                continue

            d = 0.0
            if located:
                reach = np.float64(site_radius[site])
                if has_limit and limit_km < reach:
                    reach = limit_km
                phi2 = site_lat[site] * _DEG
                dphi = phi2 - phi1
                if (
                    on_globe
                    and abs(site_lat[site]) <= 90.0
                    and EARTH_RADIUS_KM * abs(dphi) > reach * (1.0 + _SLACK_REL) + _SLACK_KM
                ):
                    continue
                if max_dlon < 180.0 and abs(site_lat[site]) <= 90.0:
                    dlon = abs(site_lon[site] - lon) % 360.0
                    if min(dlon, 360.0 - dlon) > max_dlon:
                        continue
                s_phi = math.sin(dphi / 2.0)
                s_lmb = math.sin((site_lon[site] * _DEG - lmb1) / 2.0)
                a = s_phi * s_phi + cos_phi1 * math.cos(phi2) * (s_lmb * s_lmb)
                a = _clip(a, 0.0, 1.0)
                d = 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
                if not d <= site_radius[site]:
                    continue
                if has_limit and not d <= limit_km:
                    continue

            # --- component scores ---
            total = 0.0
            for j in range(n_asked):
                if _any_bit(site_kinds, site, full_masks, j):
                    total += 1.0
                elif _any_bit(site_kinds, site, sibling_masks, j):
                    total += sibling_credit
            s_kinds = _clip(total / n_asked, 0.0, 1.0)
            weighted = 0.0 + w_kinds * s_kinds
            out_components[count, WORK_KINDS] = s_kinds

            if located:
                if has_limit:
                    s_dist = 1.0 if limit_km <= 0 else _clip(1.0 - d / limit_km, 0.0, 1.0)
                elif distance_half_km <= 0:
                    s_dist = 1.0 if d <= 0 else 0.0
                else:
                    s_dist = distance_half_km / (distance_half_km + d)
                weighted = weighted + w_distance * s_dist
                out_components[count, DISTANCE] = s_dist

            if needed >= 0:
                available = 0
                if exact_capacity:
                    for row in range(cap_start[company], cap_start[company + 1]):
                        if not _has_bit(wanted_mask, cap_kind[row]):
                            continue
                        if cap_restricted[row] and not _restricted_here(
                            restrict_key, np.int64(row) * max(1, n_sites) + site
                        ):
                            continue
                        value = max(np.int64(cap_workers[row]), 0)
                        if value > available:
                            available = value
                else:
                    for row in range(slot_start[site], slot_start[site + 1]):
                        if _has_bit(wanted_mask, slot_kind[row]):
                            value = np.int64(slot_workers[row])
                            if value > available:
                                available = value
                if needed <= 0:
                    s_cap = 1.0
                else:
                    s_cap = available / needed
                    if not s_cap < 1.0:
                        s_cap = 1.0
                weighted = weighted + w_capacity * s_cap
                out_components[count, CAPACITY] = s_cap

            if start >= 0:
                late = np.float64(np.int64(company_available[company]) - start)
                if grace_days <= 0:
                    s_avail = 1.0 if late <= 0 else 0.0
                elif late <= 0:
                    s_avail = 1.0
                else:
                    s_avail = _clip(1.0 - late / grace_days, 0.0, 1.0)
                weighted = weighted + w_availability * s_avail
                out_components[count, AVAILABILITY] = s_avail

            if n_preferred > 0:
                held = 0
                for w in range(n_cert_words):
                    bits = company_certs[w, company] & preferred_words[w]
                    while bits:
                        bits &= bits - np.uint64(1)
                        held += 1
                s_cert = held / n_preferred
                weighted = weighted + w_certifications * s_cert
                out_components[count, CERTIFICATIONS] = s_cert

            score = 100.0 * weighted / weight_sum if weight_sum > 0 else 0.0
            score = np.rint(_clip(score, 0.0, 100.0) * 100.0) / 100.0
            centi = score * 100.0
            if math.isnan(centi):
                centi = -100.0
            key = (_MAX_CENTI - np.int64(np.rint(centi))) << _DIST_BITS
            if located:
                key += np.int64(np.rint((np.rint(d * 1000.0) / 1000.0) * 1000.0))

            out_site[count] = site
            out_company[count] = company
            out_dist[count] = d
            out_key[count] = key
            out_score[count] = score
            count += 1
    return count


@numba.njit(cache=True, nogil=True)
def first_per_company(
    rows, order, packed, company, site, site_rank, limit
):
    """Walk `rows` in `order` (of `packed` = key << RANK_BITS | company rank) and keep the
    best row of each company until `limit` companies are found; equal packed values (same
    company, same key) go to the smallest site rank."""
    chosen = np.empty(limit, dtype=np.intp)
    found = 0
    i = 0
    while i < order.size and found < limit:
        best = rows[order[i]]
        j = i + 1
        while j < order.size and packed[order[j]] == packed[order[i]]:
            row = rows[order[j]]
            if site_rank[site[row]] < site_rank[site[best]]:
                best = row
            j += 1
        fresh = True
        for k in range(found):
            if company[chosen[k]] == company[best]:
                fresh = False
                break
        if fresh:
            chosen[found] = best
            found += 1
        i = j
    return chosen[:found]
