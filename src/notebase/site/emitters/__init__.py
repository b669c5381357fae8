"""Emitters: each turns the frozen Site into output files of one family."""
