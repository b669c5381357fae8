NotebaseSearch.add("tags","",{"git":"B","physics":"D","tools":"B","workshop":"C","정리":"D"});
