"""The seed sweep reseeds a homework: its data and expected answers follow, and the seed is restored."""

from __future__ import annotations

from book.homework import ch01, ch02, ch03, ch04, ch05, ch06


def test_reseed_redraws_the_data_and_recomputes_the_answers():
    published = ch01.CHURN_SEED, dict(ch01.SPAM_STREAM)
    try:
        before = ch01.q2.expected, ch01.churn_split()[0].index[:5].tolist()
        ch01.reseed(published[0] + 1)
        assert ch01.SPAM_STREAM["seed"] == published[0] + 1
        after = ch01.q2.expected, ch01.churn_split()[0].index[:5].tolist()
        assert after[1] != before[1], "another seed should draw other customers"
    finally:
        ch01.CHURN_SEED, ch01.SPAM_STREAM = published[0], published[1]
        for question in ch01.QUESTIONS:
            question.forget()
    assert ch01.q2.expected == before[0], "the published answer is back once the seed is restored"


def test_reseed_of_homework_2_redraws_the_loans():
    published = dict(ch02.LENDING)
    try:
        before = ch02.loan_split()[0].index[:5].tolist()
        ch02.reseed(published["seed"] + 3)
        assert ch02.loan_split()[0].index[:5].tolist() != before
    finally:
        ch02.LENDING.clear()
        ch02.LENDING.update(published)
        for question in ch02.QUESTIONS:
            question.forget()


def test_reseed_of_homework_3_redraws_the_payments_and_the_homes():
    published = dict(ch03.PAYMENTS), dict(ch03.HOMES)
    try:
        before = (ch03.payment_split()[0].index[:5].tolist(), ch03.home_split()[0].value_usd.iloc[:5].tolist(),
                  ch03.q3.expected)
        ch03.reseed(published[0]["seed"] + 3)
        assert ch03.PAYMENTS["seed"] == ch03.HOMES["seed"] == published[0]["seed"] + 3
        after = (ch03.payment_split()[0].index[:5].tolist(), ch03.home_split()[0].value_usd.iloc[:5].tolist(),
                 ch03.q3.expected)
        assert after[0] != before[0], "another seed should draw other payments"
        assert after[1] != before[1], "another seed should draw other homes"
        assert after[2] != before[2], "the expected answers follow the new draw"
    finally:
        for drawn, values in zip((ch03.PAYMENTS, ch03.HOMES), published):
            drawn.clear()
            drawn.update(values)
        for question in ch03.QUESTIONS:
            question.forget()
    assert ch03.q3.expected == before[2], "the published answer is back once the seed is restored"


def test_reseed_of_homework_4_redraws_the_splits_the_draws_and_the_filings():
    seeded = (ch04.CURVES, ch04.MOVIES, ch04.EDITORIALS, ch04.FILINGS)
    published = [dict(drawn) for drawn in seeded]

    def drawn():
        return (ch04.movie_split()[1].text.iloc[:5].tolist(), ch04.editorial_split()[1].text.iloc[:5].tolist(),
                ch04._results().confidence.iloc[:5].tolist(), ch04.q1.expected, ch04.q4.expected, ch04.q5.expected)

    try:
        before = drawn()
        ch04.reseed(published[0]["seed"] + 3)
        assert {values["seed"] for values in seeded} == {published[0]["seed"] + 3}
        assert ch04.FILINGS["n"] == published[3]["n"], "a reseed changes the seeds only"
        after = drawn()
        for name, old, new in zip(["movie test sentences", "held-out editorials", "confidences"], before, after):
            assert new != old, f"another seed should draw other {name}"
        assert after[3:] != before[3:], "the expected answers follow the new draw"
    finally:
        for drawn_with, values in zip(seeded, published):
            drawn_with.clear()
            drawn_with.update(values)
        for question in ch04.QUESTIONS:
            question.forget()
    assert (ch04.q1.expected, ch04.q4.expected, ch04.q5.expected) == before[3:], (
        "the published answers are back once the seeds are restored")


def test_reseed_of_homework_5_redraws_the_batch_the_tweets_and_the_typos():
    seeded = (ch05.BATCH, ch05.TWEETS, ch05.TYPOS, ch05.MOVIES, ch05.LEAK)
    published = [dict(drawn) for drawn in seeded]

    def drawn():
        return (ch05.editorial_batch().text.iloc[:5].tolist(), ch05.tweet_split()[0].text.iloc[:5].tolist(),
                ch05.typo_sample()[:5], ch05.movie_ratings().text.iloc[:5].tolist(), ch05.leak_seeds(),
                ch05.q1.expected, ch05.q2.expected, ch05.q3.expected, ch05.q4.expected, ch05.q5.expected)

    try:
        before = drawn()
        ch05.reseed(published[0]["seed"] + 3)
        assert {values["seed"] for values in seeded} == {published[0]["seed"] + 3}
        assert [drawn_with["n"] for drawn_with in (ch05.BATCH, ch05.TYPOS, ch05.MOVIES)] == [
            published[0]["n"], published[2]["n"], published[3]["n"]], "a reseed changes the seeds only"
        after = drawn()
        names = ["editorial sentences", "calibration tweets", "tweets to perturb", "movie sentences", "splits"]
        for name, old, new in zip(names, before, after):
            assert new != old, f"another seed should draw other {name}"
        assert after[5:] != before[5:], "the expected answers follow the new draw"
    finally:
        for drawn_with, values in zip(seeded, published):
            drawn_with.clear()
            drawn_with.update(values)
        for question in ch05.QUESTIONS:
            question.forget()
    expected = (ch05.q1.expected, ch05.q2.expected, ch05.q3.expected, ch05.q4.expected, ch05.q5.expected)
    assert expected == before[5:], (
        "the published answers are back once the seeds are restored")


def test_reseed_of_homework_6_redraws_the_marketplace_and_the_ranked_list():
    seeded = (ch06.MARKET, ch06.RANKING)
    published = [dict(drawn) for drawn in seeded]
    constants = (ch06.ARM_USERS, ch06.BASELINE_RATE, ch06.RELATIVE_LIFT, ch06.TARGET_GAIN)

    def drawn():
        candidates, relevance = ch06.candidates()
        return (ch06.marketplace().impressions.item_id.iloc[:12].tolist(), ch06.ranked_list(),
                candidates[:3].tolist(), ch06.q1.expected, ch06.q2.expected, ch06.q5.expected)

    try:
        before = drawn()
        ch06.reseed(published[0]["seed"] + 3)
        assert {values["seed"] for values in seeded} == {published[0]["seed"] + 3}
        assert (ch06.ARM_USERS, ch06.BASELINE_RATE, ch06.RELATIVE_LIFT, ch06.TARGET_GAIN) == constants, (
            "a reseed changes the seeds only")
        after = drawn()
        for name, old, new in zip(["impressions", "ranked list", "candidates"], before, after):
            assert new != old, f"another seed should draw other {name}"
        assert after[3:5] != before[3:5], "the expected answers follow the new draw"
        assert ch06.q3.expected == ch06._sample_size() and ch06.q4.expected == ch06._srm_p_value()
    finally:
        for drawn_with, values in zip(seeded, published):
            drawn_with.clear()
            drawn_with.update(values)
        for question in ch06.QUESTIONS:
            question.forget()
    assert (ch06.q1.expected, ch06.q2.expected, ch06.q5.expected) == before[3:], (
        "the published answers are back once the seeds are restored")
