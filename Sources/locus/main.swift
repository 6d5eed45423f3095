import LISP
import LISPNet
import LocusCore
import LocusEngine
import LocusLab
import LocusStore
import LocusTUI
import ArgumentParser
import GRDB
print("locus")
