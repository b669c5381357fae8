NotebaseSearch.add("docs","",{"dates":"AlAS","first":738848,"lang":"BAB","langs":["en","ko"],"lens":"0f190a0c060b","type":"012","types":["paper","conference","tip"],"where":"ACAAAB"});
