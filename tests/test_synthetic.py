"""The bulk population of demo/synthetic.py: by default an advisory per finding (what the
queue's benchmarks and tests were built on), and with a shared pool the campaigns a real
organisation has — about as many as the pool, the first of them in most repositories."""

from __future__ import annotations

from collections import defaultdict

from secagent_tui.demo.synthetic import shared_advisory, synthetic_finding


def test_by_default_every_finding_has_an_advisory_of_its_own() -> None:
    population = [synthetic_finding(i) for i in range(2_000)]
    assert len({f.ghsa_id for f in population}) == len(population)
    assert synthetic_finding(7) == synthetic_finding(7)  # deterministic


def test_a_shared_pool_groups_the_findings_into_skewed_campaigns() -> None:
    population = [synthetic_finding(i, advisories=400) for i in range(20_000)]
    repos: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for f in population:
        repos[(f.ghsa_id, f.ecosystem, f.package)].add(f.repo)
        assert f.raw["security_advisory"]["ghsa_id"] == f.ghsa_id
        assert f.raw["dependency"]["package"] == {"ecosystem": f.ecosystem, "name": f.package}
    spread = sorted(map(len, repos.values()), reverse=True)
    assert 0.9 * 400 <= len(repos) <= 400  # about the pool, every ecosystem its share
    assert spread[0] >= 200  # the commonest advisory is in most of the 300 repositories
    assert spread[len(spread) // 2] < spread[0] / 4  # most are in far fewer
    assert len({(f.repo, f.number) for f in population}) == len(population)


def test_a_pooled_advisory_is_the_same_for_every_finding_that_draws_it() -> None:
    first = shared_advisory("npm", 3)
    assert first == shared_advisory("npm", 3)
    assert first != shared_advisory("npm", 4) and first != shared_advisory("pip", 3)
    severities = {
        f.severity
        for f in (synthetic_finding(i, advisories=80) for i in range(3_000))
        if (f.ghsa_id, f.package) == first[:2]
    }
    assert severities == {first[2]}
