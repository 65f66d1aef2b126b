"""The per-site pass of a query, compiled: hard filters, distance, component scores and the
ordering key of every qualifying site in one pass over the query's position ranges.

Why compiled: a vectorised numpy pass costs some forty array operations per query, each with
its own temporary and call overhead; on a few thousand sites that overhead is the whole
answer time, and on a million it is memory traffic. Here each site is read once: the pass
gathers batches of candidates without branches (`_gather`, `_near`), then settles each
candidate in turn.

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
# A site is skipped before the haversine only when its latitude difference alone (a lower
# bound of the great-circle distance) exceeds the limit by more than rounding could explain.
_SLACK_REL = 1e-9
_SLACK_CHORD2 = 1e-12  # far above the rounding of a squared chord of unit vectors


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
def chord2(km):
    """Squared chord of the unit sphere for a great-circle distance (km): 4 sin^2(d / 2R).
    -1 (nothing is that close) for a negative distance or NaN."""
    if not km >= 0:
        return -1.0
    half = min(km / EARTH_RADIUS_KM, math.pi) / 2.0
    s = math.sin(half)
    return 4.0 * s * s


@numba.njit(cache=True, nogil=True)
def _haversine(phi1, lmb1, cos_phi1, lat2, lon2):
    """app.geo's haversine_km, operation by operation."""
    phi2 = lat2 * _DEG
    s_phi = math.sin((phi2 - phi1) / 2.0)
    s_lmb = math.sin((lon2 * _DEG - lmb1) / 2.0)
    a = _clip(s_phi * s_phi + cos_phi1 * math.cos(phi2) * (s_lmb * s_lmb), 0.0, 1.0)
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@numba.njit(cache=True, nogil=True)
def _distance_score(d, has_limit, limit_km, half_km):
    if has_limit:
        return 1.0 if limit_km <= 0 else _clip(1.0 - d / limit_km, 0.0, 1.0)
    if half_km <= 0:
        return 1.0 if d <= 0 else 0.0
    return half_km / (half_km + d)


@numba.njit(cache=True, nogil=True)
def _metres(d):
    """The distance as the key orders it: rounded to metres (numpy's round to 3 decimals)."""
    return np.int64(np.rint((np.rint(d * 1000.0) / 1000.0) * 1000.0))


@numba.njit(cache=True, nogil=True)
def _score(weighted, weight_sum):
    """The 0-100 score, rounded to 2 decimals as numpy's round does (rint of x * 100)."""
    score = 100.0 * weighted / weight_sum if weight_sum > 0 else 0.0
    return np.rint(_clip(score, 0.0, 100.0) * 100.0) / 100.0


@numba.njit(cache=True, nogil=True)
def _key(score, metres):
    """One int64 that orders like (-score, distance in metres); a NaN score sorts last."""
    centi = score * 100.0
    if math.isnan(centi):
        centi = -100.0
    return ((_MAX_CENTI - np.int64(np.rint(centi))) << _DIST_BITS) + metres


@numba.njit(cache=True, nogil=True)
def _before(key, c_rank, s_rank, other_key, other_c_rank, other_s_rank):
    """Order of two sites: key, then company rank, then site rank."""
    if key != other_key:
        return key < other_key
    if c_rank != other_c_rank:
        return c_rank < other_c_rank
    return s_rank < other_s_rank


@numba.njit(cache=True, nogil=True)
def _best_case(weighted, located, w_distance, s_dist, needed, w_capacity, start,
               w_availability, n_preferred, w_certifications):
    """The weighted sum with the company components at 1, in the order the score sums."""
    best_case = weighted + w_distance * s_dist if located else weighted
    if needed >= 0:
        best_case = best_case + w_capacity * 1.0
    if start >= 0:
        best_case = best_case + w_availability * 1.0
    if n_preferred > 0:
        best_case = best_case + w_certifications * 1.0
    return best_case


@numba.njit(cache=True, nogil=True)
def _below(last_key, weight_sum):
    """A threshold on weighted sums: one below it rounds to a score under the one in
    `last_key`, so its key comes after it whatever the distance. The score's rounded
    hundredths are centi = rint(10000 * weighted / weight_sum) (through float steps that
    each err by under one part in 2**53), so a sum with 10000 * weighted / weight_sum under
    centi - 0.5 by more than 1e-9 relative rounds below. 0 (nothing is below it) when the
    last score is 0 or NaN."""
    centi = _MAX_CENTI - (last_key >> _DIST_BITS)
    if centi <= 0 or not weight_sum > 0:
        return 0.0
    # (the share first: a product with the weight sum first could overflow near the float
    # range's end and make every site look skippable)
    return (centi - 0.5) / 10000.0 * weight_sum * (1.0 - 1e-9)


@numba.njit(cache=True, nogil=True)
def _swap_rows(i, j, site, company, dist, key, score, components):
    site[i], site[j] = site[j], site[i]
    company[i], company[j] = company[j], company[i]
    dist[i], dist[j] = dist[j], dist[i]
    key[i], key[j] = key[j], key[i]
    score[i], score[j] = score[j], score[i]
    for c in range(components.shape[1]):
        components[i, c], components[j, c] = components[j, c], components[i, c]


@numba.njit(cache=True, nogil=True)
def _restricted_here(restrict_key, key):
    if restrict_key.size == 0:
        return False
    at = np.searchsorted(restrict_key, key)
    if at >= restrict_key.size:
        at = restrict_key.size - 1
    return restrict_key[at] == key


# Sites per batch of `_gather`: small enough to stay in the first-level cache.
_BATCH = 1024


@numba.njit(cache=True, nogil=True)
def _gather(starts, ends, r, at, site_kinds, wanted_mask, site_flags, need, use_flags, batch):
    """The next sites from position `at` of range `r` on that offer a wanted kind and (with
    `use_flags`) carry the needed flags, up to a batch: (how many, the range and position to
    go on from).

    Without branches: about a quarter of the sites pass, in no pattern a branch predictor
    could learn, so a test-and-skip loop spends most of its time on mispredictions. Each site
    is written at the next free place and the place advances only when the site passes."""
    n_words = site_kinds.shape[0]
    size = batch.size
    n = 0
    while r < starts.size and n < size:
        stop = min(ends[r], at + (size - n))  # so that n stays below the batch size
        if n_words == 1 and use_flags:
            wanted = wanted_mask[0]
            for site in range(at, stop):
                batch[n] = site
                n += ((site_kinds[0, site] & wanted) != 0) & (
                    (site_flags[site] & need) == need
                )
        else:
            for site in range(at, stop):
                batch[n] = site
                offered = np.uint64(0)
                for w in range(n_words):
                    offered |= site_kinds[w, site] & wanted_mask[w]
                ok = offered != 0
                if use_flags:
                    ok &= (site_flags[site] & need) == need
                n += ok
        at = stop
        if at >= ends[r]:
            r += 1
            if r < starts.size:
                at = starts[r]
    return n, r, at


@numba.njit(cache=True, nogil=True)
def _near(batch, n, site_sphere, qx, qy, qz, limit_chord2, chord2_out, reach2_out):
    """Keeps the first `n` sites of the batch that are not surely beyond reach (the squared
    chord to the asked point above the smaller of the site's service radius and the limit,
    by more than rounding explains), in order, with that squared chord and reach; returns
    how many. Without branches, like `_gather`: the loads of one site do not wait for the
    test of the one before."""
    m = 0
    for i in range(n):
        site = batch[i]
        dx = site_sphere[site, 0] - qx
        dy = site_sphere[site, 1] - qy
        dz = site_sphere[site, 2] - qz
        c2 = dx * dx + dy * dy + dz * dz
        reach2 = min(site_sphere[site, 3], limit_chord2)
        batch[m] = site
        chord2_out[m] = c2
        reach2_out[m] = reach2
        m += not c2 > reach2 * (1.0 + _SLACK_REL) + _SLACK_CHORD2
    return m


@numba.njit(cache=True, nogil=True)
def scan(
    starts, ends,
    # kinds and company checks
    site_kinds, wanted_mask, site_flags, need, use_flags,
    site_company, company_active, company_certs, required,
    removed, use_removed,
    # where
    located, lat, lon, has_limit, limit_km, site_lat, site_lon, site_radius,
    # per site: unit vector and the squared chord of its service radius (see `sphere`)
    site_sphere,
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
    # the order: ranks of the ids (ties), and whether the score may be bounded (all weights
    # finite and >= 0) so that sites that cannot enter the top skip the company look-ups
    site_rank, company_rank, n_companies, bounded,
    # out: the best site of each of the top companies (as many rows as are asked for), in
    # order; `scan` returns how many rows are filled and how many distinct companies
    # qualified at all
    out_site, out_company, out_dist, out_key, out_score, out_components,
):
    n_sites = site_kinds.shape[1]
    n_cert_words = company_certs.shape[0]
    n_asked = full_masks.shape[0]
    phi1 = lat * _DEG
    lmb1 = lon * _DEG
    cos_phi1 = math.cos(phi1)
    size = out_site.size
    filled = 0
    worst = 0  # row of the last entry in order, once all rows are filled
    below_last = 0.0  # a best case below this cannot get in (see `_below`), once filled
    seen = np.zeros((n_companies + 63) >> 6, dtype=np.uint64)  # companies counted
    total = 0
    # Distances through chords of the unit sphere first: a few multiplications decide most
    # sites (clearly within reach, clearly beyond) and bound their distance from below; the
    # exact haversine runs only near a boundary or for a site that may enter the top.
    qx = qy = qz = 0.0
    chords = located and abs(lat) <= 90.0 and abs(lon) <= 360.0
    if chords:
        qx = math.cos(phi1) * math.cos(lmb1)
        qy = math.cos(phi1) * math.sin(lmb1)
        qz = math.sin(phi1)
    limit_chord2 = chord2(limit_km) if has_limit else 4.0
    batch = np.empty(_BATCH, dtype=np.intp)
    batch_chord2 = np.empty(_BATCH, dtype=np.float64)
    batch_reach2 = np.empty(_BATCH, dtype=np.float64)
    r = 0
    at = starts[0] if starts.size else 0
    while r < starts.size:
        n, r, at = _gather(starts, ends, r, at, site_kinds, wanted_mask, site_flags, need,
                           use_flags, batch)
        if chords:
            n = _near(batch, n, site_sphere, qx, qy, qz, limit_chord2, batch_chord2, batch_reach2)
        for i in range(n):
            site = batch[i]
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
            exact = False  # d holds the exact distance
            d_low = 0.0  # a lower bound of it otherwise
            if located:
                unsure = True
                if chords:  # (the sites surely beyond reach are gone: `_near`)
                    c2 = batch_chord2[i]
                    reach2 = batch_reach2[i]
                    if c2 < reach2 * (1.0 - _SLACK_REL) - _SLACK_CHORD2:
                        unsure = False
                        # chord <= arc; the slack covers the rounding of c2
                        d_low = EARTH_RADIUS_KM * math.sqrt(max(0.0, c2 - _SLACK_CHORD2))
                        d_low *= 1.0 - _SLACK_REL
                if unsure:
                    d = _haversine(phi1, lmb1, cos_phi1, site_lat[site], site_lon[site])
                    if not d <= site_radius[site]:
                        continue
                    if has_limit and not d <= limit_km:
                        continue
                    exact = True
                    d_low = d

            word = company >> 6
            bit = np.uint64(1) << np.uint64(company & 63)
            if not seen[word] & bit:
                seen[word] |= bit
                total += 1
            if size == 0:
                continue

            # --- component scores: the site's own first, then its company's ---
            s_dist = 0.0
            metres = 0
            if located:
                s_dist = _distance_score(d_low, has_limit, limit_km, distance_half_km)
                # (for d_low: at most the site's own metres, as the key needs)
                metres = max(0, np.int64(math.floor(d_low * 1000.0)) - 1)
                if exact:
                    metres = _metres(d)
            # Every component but the distance is at most 1, the distance at least d_low, and
            # float arithmetic is monotonic: a best case at most the site's own key. Beyond
            # the last entry, the site cannot get in. Most sites fail already with full
            # credit for the kinds, against a plain threshold.
            if bounded and filled == size and _best_case(
                0.0 + w_kinds * 1.0, located, w_distance, s_dist, needed, w_capacity, start,
                w_availability, n_preferred, w_certifications,
            ) < below_last:
                continue
            s_kinds = 0.0
            for j in range(n_asked):
                if _any_bit(site_kinds, site, full_masks, j):
                    s_kinds += 1.0
                elif _any_bit(site_kinds, site, sibling_masks, j):
                    s_kinds += sibling_credit
            s_kinds = _clip(s_kinds / n_asked, 0.0, 1.0)
            weighted = 0.0 + w_kinds * s_kinds
            if bounded and filled == size:
                best_case = _best_case(
                    weighted, located, w_distance, s_dist, needed, w_capacity, start,
                    w_availability, n_preferred, w_certifications,
                )
                if _key(_score(best_case, weight_sum), metres) > out_key[worst]:
                    continue

            if located:
                if not exact:
                    d = _haversine(phi1, lmb1, cos_phi1, site_lat[site], site_lon[site])
                    s_dist = _distance_score(d, has_limit, limit_km, distance_half_km)
                    metres = _metres(d)
                weighted = weighted + w_distance * s_dist

            s_cap = 0.0
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

            s_avail = 0.0
            if start >= 0:
                late = np.float64(np.int64(company_available[company]) - start)
                if grace_days <= 0:
                    s_avail = 1.0 if late <= 0 else 0.0
                elif late <= 0:
                    s_avail = 1.0
                else:
                    s_avail = _clip(1.0 - late / grace_days, 0.0, 1.0)
                weighted = weighted + w_availability * s_avail

            s_cert = 0.0
            if n_preferred > 0:
                held = 0
                for w in range(n_cert_words):
                    bits = company_certs[w, company] & preferred_words[w]
                    while bits:
                        bits &= bits - np.uint64(1)
                        held += 1
                s_cert = held / n_preferred
                weighted = weighted + w_certifications * s_cert

            score = _score(weighted, weight_sum)
            key = _key(score, metres)

            # --- the top: one row per company, its best site ---
            c_rank = company_rank[company]
            s_rank = site_rank[site]
            row = -1
            for k in range(filled):
                if out_company[k] == company:
                    row = k
                    break
            if row >= 0:
                if not _before(key, c_rank, s_rank, out_key[row], c_rank, site_rank[out_site[row]]):
                    continue
            elif filled < size:
                row = filled
                filled += 1
            elif _before(key, c_rank, s_rank, out_key[worst], company_rank[out_company[worst]],
                         site_rank[out_site[worst]]):
                row = worst
            else:
                continue
            out_site[row] = site
            out_company[row] = company
            out_dist[row] = d
            out_key[row] = key
            out_score[row] = score
            out_components[row, WORK_KINDS] = s_kinds
            out_components[row, DISTANCE] = s_dist
            out_components[row, CAPACITY] = s_cap
            out_components[row, AVAILABILITY] = s_avail
            out_components[row, CERTIFICATIONS] = s_cert
            if filled == size:
                worst = 0
                for k in range(1, filled):
                    if _before(out_key[worst], company_rank[out_company[worst]],
                               site_rank[out_site[worst]], out_key[k],
                               company_rank[out_company[k]], site_rank[out_site[k]]):
                        worst = k
                below_last = _below(out_key[worst], weight_sum)
    # In order (key, then company rank; the companies are distinct): an insertion sort, as
    # there are only as many rows as asked for.
    for i in range(1, filled):
        j = i
        while j > 0 and _before(out_key[j], company_rank[out_company[j]], 0,
                                out_key[j - 1], company_rank[out_company[j - 1]], 0):
            _swap_rows(j, j - 1, out_site, out_company, out_dist, out_key, out_score,
                       out_components)
            j -= 1
    return filled, total


@numba.njit(cache=True, nogil=True)
def best_capabilities(
    sites, companies, wanted_rank, cap_start, cap_kind, cap_workers, cap_restricted, restrict_key,
    n_sites,
):
    """Per site: the capability row that `capacity` reports there, -1 for none. Of the rows of
    a wanted kind that count at the site: the largest capacity, then the kind asked first,
    then the row listed first."""
    out = np.full(sites.size, -1, dtype=np.intp)
    for i in range(sites.size):
        site, company = sites[i], companies[i]
        best_workers = 0
        best_rank = 0
        for row in range(cap_start[company], cap_start[company + 1]):
            rank = wanted_rank[cap_kind[row]]
            if rank < 0:
                continue
            if cap_restricted[row] and not _restricted_here(
                restrict_key, np.int64(row) * max(1, n_sites) + site
            ):
                continue
            workers = np.int64(cap_workers[row])
            if out[i] < 0 or workers > best_workers or (
                workers == best_workers and rank < best_rank
            ):
                out[i] = row
                best_workers = workers
                best_rank = rank
    return out
