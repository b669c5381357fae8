"""The site's interface words in Korean and English, picked by the config's `language`."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "ko": {
        "home": "홈", "search": "검색", "tags": "태그", "archive": "날짜별", "types": "종류",
        "paper": "논문 요약", "conference": "학회 기록", "tip": "팁",
        "papers": "논문 요약", "conferences": "학회 기록", "tips": "팁",
        "recent": "최근 글", "all_tags": "모든 태그", "entries": "개", "entries_word": "글",
        "tagged": "태그", "date": "날짜", "source": "원문", "backlinks": "이 글을 링크한 글",
        "related": "관련 글", "contents": "목차", "authors": "저자", "venue": "학회·저널",
        "year": "연도", "presenter": "발표·정리", "paper_title": "논문", "links": "링크",
        "event": "행사", "location": "장소", "talks": "발표", "category": "분류",
        "previous": "이전", "next": "다음", "page": "쪽", "not_found": "페이지를 찾을 수 없습니다",
        "not_found_hint": "주소를 확인하거나 검색해 보세요.", "feed": "RSS", "atom": "Atom",
        "skip": "본문으로 건너뛰기", "unresolved": "없는 글", "inferred_date": "추정한 날짜",
        "search_placeholder": "검색어 (예: 대조 학습, 학회)", "search_button": "검색",
        "search_results": "{n}개 결과", "search_none": "결과가 없습니다",
        "search_all_types": "모든 종류", "search_all_tags": "모든 태그",
        "search_also": "함께 찾은 말", "search_via": "용어집으로 찾음", "search_loading": "불러오는 중…",
        "search_noscript": "검색에는 JavaScript가 필요합니다.",
        "more_tags": "태그 모두 보기", "by_year": "연도별", "by_month": "월별", "newest_first": "최신순",
        "toggle_theme": "밝게/어둡게", "reading_time": "{n}분 분량", "edit": "이 파일 고치기",
        "search_more": "결과 {n}개 더 보기", "updated": "고침", "embedded_from": "가져온 글",
        "search_narrow": "좁히기", "search_years": "연도", "series_item": "{series}의 한 항목",
        "nav_papers": "논문", "nav_conferences": "학회", "nav_tips": "팁",
    },
    "en": {
        "home": "Home", "search": "Search", "tags": "Tags", "archive": "Archive", "types": "Types",
        "paper": "Paper summary", "conference": "Conference log", "tip": "Tech tip",
        "papers": "Paper summaries", "conferences": "Conference logs", "tips": "Tech tips",
        "recent": "Recent", "all_tags": "All tags", "entries": "entries", "entries_word": "entries",
        "tagged": "Tagged", "date": "Date", "source": "Source", "backlinks": "Linked from",
        "related": "Related", "contents": "Contents", "authors": "Authors", "venue": "Venue",
        "year": "Year", "presenter": "Presenter", "paper_title": "Paper", "links": "Links",
        "event": "Event", "location": "Place", "talks": "Talks", "category": "Category",
        "previous": "Previous", "next": "Next", "page": "Page", "not_found": "Page not found",
        "not_found_hint": "Check the address, or search for it.", "feed": "RSS", "atom": "Atom",
        "skip": "Skip to content", "unresolved": "missing note", "inferred_date": "inferred date",
        "search_placeholder": "Search (e.g. contrastive learning, 학회)", "search_button": "Search",
        "search_results": "{n} results", "search_none": "No results",
        "search_all_types": "All types", "search_all_tags": "All tags",
        "search_also": "Also searched", "search_via": "matched via glossary", "search_loading": "Loading…",
        "search_noscript": "Search needs JavaScript.",
        "more_tags": "All tags", "by_year": "By year", "by_month": "By month", "newest_first": "Newest first",
        "toggle_theme": "Light/dark", "reading_time": "{n} min read", "edit": "Edit this file",
        "search_more": "Show {n} more results", "updated": "Updated", "embedded_from": "Embedded note",
        "search_narrow": "Narrow by", "search_years": "Year", "series_item": "an item of {series}",
        "nav_papers": "Papers", "nav_conferences": "Conferences", "nav_tips": "Tips",
    },
}


def labels(language: str) -> dict[str, str]:
    """Return the interface words for 'ko' or 'en' (English for anything else)."""
    return LABELS.get(language, LABELS["en"])
